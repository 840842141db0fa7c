import type { Route } from '../../../../server/src/transcript/types.ts';
import type { LabInfo } from '../../../../server/src/api/types.ts';
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

interface Props {
  info: LabInfo;
  options: RouteOption[];
  selected: RouteOption;
}

/** The hops a connection goes through; each choice comes from `/api/info`. */
export function RouteField({ info, options, selected }: Props) {
  const setConnectForm = useLabStore((s) => s.setConnectForm);
  const preset = info.presets.find((p) => p.name === selected.preset);
  return (
    <div className="field">
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
      {!info.nginx.available && info.presets.length > 0 && (
        <p className="hint">Real nginx is unavailable: {info.nginx.reason ?? 'it is not running in this lab.'}</p>
      )}
      {selected.route === 'forward-proxy' && (
        <p className="hint">
          A page cannot choose a proxy for its WebSockets: the browser reaches the forward proxy only when its own proxy
          settings point at <code>http://{info.host}:{info.ports.forwardProxy}</code> (for example{' '}
          <code>
            chromium --proxy-server=http://{info.host}:{info.ports.forwardProxy} --proxy-bypass-list="&lt;-loopback&gt;;{info.host}:
            {info.ports.ui}"
          </code>
          : <code>&lt;-loopback&gt;</code> stops Chrome bypassing proxies for 127.0.0.1, and the lab's own page stays direct).
          The lab then records the CONNECT tunnel; the URL below is the echo server's.
        </p>
      )}
      {selected.upstream && (
        <p className="hint">
          To your server at <code>{selected.upstream.url}</code>
          {preset ? `, through ${preset.name}` : ', passed through unchanged'}. The lab removes <code>{selected.upstream.prefix}</code> from the path, as{' '}
          <code>proxy_pass http://host:port/;</code> does in that location, and records what your server received and answered.
        </p>
      )}
      {preset && (
        <details className="preset">
          <summary>
            {preset.name}: {preset.description}
          </summary>
          <pre className="wire" aria-label={`nginx configuration for ${preset.name}`}>
            {preset.nginxConfig}
          </pre>
        </details>
      )}
    </div>
  );
}
