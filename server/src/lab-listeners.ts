// What `npm start` prints, one line per listener: the addresses a user opens or points a client at.
import type { NginxInfo, PortInfo } from './api/types.ts';
import type { Listener } from './lab.ts';
import { upstreamListeners } from './upstream/lab-upstreams.ts';
import type { NamedUpstream } from './upstream/upstreams.ts';

/** Every listener the lab runs, with the URL to use it by, in the order startup prints them. */
export function describeListeners(
  ports: PortInfo,
  host: string,
  { presets, nginx, nginxAsked, upstreams }: { presets: number; nginx: NginxInfo; nginxAsked: boolean; upstreams: readonly NamedUpstream[] },
): Listener[] {
  const listeners: Listener[] = [];
  listeners.push({ name: 'lab UI + API', url: `http://${host}:${ports.ui}/` }, { name: 'echo server', url: `ws://${host}:${ports.echo}/` });
  if (ports.uiTls !== undefined) listeners.push({ name: 'lab UI (HTTPS)', url: `https://${host}:${ports.uiTls}/` });
  if (ports.h2 !== undefined) listeners.push({ name: 'lab UI (HTTP/2)', url: `https://${host}:${ports.h2}/ (WebSockets as extended CONNECT, RFC 8441)` });
  if (ports.h2NoConnect !== undefined) listeners.push({ name: 'lab UI (HTTP/2)', url: `https://${host}:${ports.h2NoConnect}/ (no SETTINGS_ENABLE_CONNECT_PROTOCOL: WebSockets fall back to HTTP/1.1)` });
  if (ports.echoTls !== undefined) listeners.push({ name: 'echo server', url: `wss://${host}:${ports.echoTls}/ (TLS)` });
  if (ports.proxyTls !== undefined) listeners.push({ name: 'reverse proxy', url: `wss://${host}:${ports.proxyTls}/<preset>/ (TLS terminated, proxy_pass http://)` });
  if (ports.proxy !== undefined) listeners.push({ name: 'reverse proxy', url: `ws://${host}:${ports.proxy}/<preset>/ (${presets} presets)` });
  if (ports.nginx !== undefined) listeners.push({ name: `nginx ${nginx.version}`, url: `ws://${host}:${ports.nginx}/<preset>/` });
  else if (nginxAsked) listeners.push({ name: 'nginx', url: `not running: ${nginx.reason}` });
  if (ports.forwardProxy !== undefined) listeners.push({ name: 'forward proxy', url: `http://${host}:${ports.forwardProxy} (CONNECT)` });
  for (const [preset, port] of Object.entries(ports.forwardProxyPresets ?? {})) listeners.push({ name: `forward proxy`, url: `http://${host}:${port} (${preset})` });
  listeners.push(...upstreamListeners(upstreams, host, ports));
  return listeners;
}
