import type { LabInfo } from '../../../../server/src/api/types.ts';
import type { RouteOption } from './url.ts';

/** What the chosen route needs that the page cannot do for itself: said under the connect bar. */
export function ConnectHints({ info, selected }: { info: LabInfo; selected: RouteOption }) {
  if (selected.upstream) {
    return (
      <p className="connect-hint hint">
        To your server at <code>{selected.upstream.url}</code>
        {selected.preset ? `, through ${selected.preset}` : ', passed through unchanged'}. The lab removes <code>{selected.upstream.prefix}</code> from
        the path, as <code>proxy_pass http://host:port/;</code> does in that location, and records what your server received and answered.
      </p>
    );
  }
  if (selected.route !== 'forward-proxy') return null;
  return (
    <p className="connect-hint hint">
      A page cannot choose a proxy for its WebSockets: the browser reaches the forward proxy only when its own proxy settings
      point at <code>http://{info.host}:{info.ports.forwardProxy}</code> (for example{' '}
      <code>
        chromium --proxy-server=http://{info.host}:{info.ports.forwardProxy} --proxy-bypass-list="&lt;-loopback&gt;;{info.host}:
        {info.ports.ui}"
      </code>
      : <code>&lt;-loopback&gt;</code> stops Chrome bypassing proxies for 127.0.0.1, and the lab's own page stays direct). The
      lab then records the CONNECT tunnel; the URL is the echo server's.
    </p>
  );
}
