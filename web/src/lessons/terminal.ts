// A handshake a page cannot send, as a terminal command: the player shows it, the runner sends the
// same request. Filed under the page's session and the lesson's connection by lab= and conn=.
import type { PortInfo } from '../../../server/src/api/types.ts';
import type { Action, RouteKey } from './types.ts';

/** RFC 6455 §1.3's sample key: any 16 bytes in base64 will do from a terminal. */
export const SAMPLE_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

export interface TerminalRequest {
  url: string;
  host: string;
  port: number;
  /** The request target: path and query. */
  target: string;
  /** In the order they go on the wire, Host first. */
  headers: [name: string, value: string][];
  /** The forward-proxy preset's address it goes through (`curl -x`), when it does. */
  proxy?: string;
}

function portAndPath(route: RouteKey, ports: PortInfo): { port: number | undefined; path: string } {
  if (route === 'direct' || route === 'forward-proxy') return { port: ports.echo, path: '/echo' };
  const [kind, preset] = route.split(':') as [string, string];
  return { port: kind === 'nginx' ? ports.nginx : ports.proxy, path: `/${preset}/echo` };
}

export function terminalRequest(action: Extract<Action, { do: 'terminal' }>, at: { host: string; ports: PortInfo; session: string; conn: string }): TerminalRequest {
  const { port, path } = portAndPath(action.route, at.ports);
  if (port === undefined) throw new Error(`This lab has no listener for ${action.route}.`);
  const target = `${path}?lab=${encodeURIComponent(at.session)}&conn=${encodeURIComponent(at.conn)}`;
  const authority = `${at.host}:${port}`;
  const headers: [string, string][] = [['Host', authority], ...action.headers.map(([n, v]): [string, string] => [n, v])];
  headers.push(['Sec-WebSocket-Version', '13'], ['Sec-WebSocket-Key', SAMPLE_KEY]);
  const url = `http://${authority}${target}`;
  if (action.proxy === undefined) return { url, host: at.host, port, target, headers };
  // Through a proxy the request line carries the whole URL (RFC 9112 §3.2.2), and curl adds Proxy-Connection.
  const proxyPort = at.ports.forwardProxyPresets?.[action.proxy];
  if (proxyPort === undefined) throw new Error(`This lab does not run the ${action.proxy} forward proxy.`);
  headers.push(['Proxy-Connection', 'Keep-Alive']);
  return { url, host: at.host, port: proxyPort, target: url, headers, proxy: `http://${at.host}:${proxyPort}` };
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The same request with curl: it sends Host itself (and its own User-Agent and Accept). */
export function curlCommand(request: TerminalRequest): string {
  const own = request.proxy === undefined ? ['host'] : ['host', 'proxy-connection'];
  const headers = request.headers.filter(([n]) => !own.includes(n.toLowerCase())).map(([n, v]) => `-H ${shellQuote(`${n}: ${v}`)}`);
  const proxy = request.proxy === undefined ? [] : [`-x ${request.proxy}`];
  return ['curl -i -N --http1.1 --max-time 3', ...proxy, ...headers, shellQuote(request.url)].join(' \\\n  ');
}
