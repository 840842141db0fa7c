import type { Route } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import type { RouteOption } from './url.ts';

const GROUPS: [Route, string][] = [
  ['direct', 'Direct'],
  ['reverse-proxy', 'Reverse proxy (bundled)'],
  ['nginx', 'Real nginx'],
  ['forward-proxy', 'Forward proxy'],
];

/** The hops a connection goes through; each choice comes from `/api/info`. */
export function RouteField({ options, selected }: { options: RouteOption[]; selected: RouteOption }) {
  const setConnectForm = useLabStore((s) => s.setConnectForm);
  return (
    <span className="route-field">
      <label htmlFor="connect-route">Route</label>
      <select id="connect-route" value={selected.key} onChange={(e) => setConnectForm({ route: e.target.value })}>
        {GROUPS.map(([route, label]) => {
          const group = options.filter((o) => o.route === route);
          if (group.length === 0) return null;
          return (
            <optgroup key={route} label={label}>
              {group.map((o) => (
                <option key={o.key} value={o.key} disabled={o.unavailable !== undefined} title={o.unavailable}>
                  {o.label}
                  {o.unavailable !== undefined ? ' (unavailable)' : ''}
                </option>
              ))}
            </optgroup>
          );
        })}
      </select>
    </span>
  );
}
