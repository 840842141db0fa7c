import type { Route } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import type { RouteOption } from './url.ts';

const GROUPS: [Route, string][] = [
  ['direct', 'Direct'],
  ['reverse-proxy', 'Reverse proxy (bundled)'],
  ['nginx', 'Real nginx'],
  ['forward-proxy', 'Forward proxy'],
];

/** Options listed under a group of their own (your server, by proxy), in order. */
function namedGroups(options: RouteOption[]): [string, RouteOption[]][] {
  const groups = new Map<string, RouteOption[]>();
  for (const o of options) if (o.group !== undefined) groups.set(o.group, [...(groups.get(o.group) ?? []), o]);
  return [...groups];
}

/** The hops a connection goes through; each choice comes from `/api/info`. */
export function RouteField({ options, selected }: { options: RouteOption[]; selected: RouteOption }) {
  const setConnectForm = useLabStore((s) => s.setConnectForm);
  return (
    <span className="route-field">
      <label htmlFor="connect-route">Route</label>
      <select id="connect-route" value={selected.key} onChange={(e) => setConnectForm({ route: e.target.value })}>
        {[...GROUPS.map(([route, label]): [string, RouteOption[]] => [label, options.filter((o) => o.route === route && o.group === undefined)]), ...namedGroups(options)].map(([label, group]) => {
          if (group.length === 0) return null;
          return (
            <optgroup key={label} label={label}>
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
