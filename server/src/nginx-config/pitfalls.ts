// The known WebSocket pitfalls of an nginx config, read from the text alone. Each is then
// confirmed or refuted by a real run through the config (judge.ts).

import type { NginxPitfall } from '../api/types.ts';
import { nginxTime } from '../reverse-proxy/presets.ts';
import { effective, effectiveList, hasVariables, layoutOf, locationsOf, parseNginxTime, proxyPassParts, setHeader, type LocationView, type PastedLayout } from './effective.ts';
import type { Statement } from './parse.ts';

/** nginx's proxy_read_timeout when the config sets none. */
export const NGINX_DEFAULT_READ_TIMEOUT_MS = 60_000;
/** How long a WebSocket that waits for events (chat, notifications, dashboards) is commonly quiet, when the app's heartbeat is not known. */
export const TYPICAL_IDLE_MS = 5 * 60_000;

const DOCS = 'nginx docs: WebSocket proxying (nginx.org/en/docs/http/websocket.html), ngx_http_proxy_module';

type Found = Omit<NginxPitfall, 'location'>;

const value = (s: Statement | undefined) => s?.args[1]?.value;
const lines = (...statements: (Statement | undefined)[]) => statements.flatMap((s) => (s ? [s.line] : []));

/** Ports the pasted server listens on (before the lab replaces listen): `listen 8080`, `listen [::]:8443 ssl`. */
function listenPorts(layout: PastedLayout): number[] {
  return layout.server
    .filter((s) => s.name.value === 'listen')
    .map((s) => {
      const address = s.args[0]?.value ?? '';
      const port = /(?:^|:)(\d+)$/.exec(address)?.[1];
      return port === undefined ? 80 : Number(port);
    });
}

function httpVersion(location: LocationView): Found | undefined {
  const directive = effective(location.levels, 'proxy_http_version');
  if (directive?.args[0]?.value === '1.1') return undefined;
  return {
    id: 'proxy-http-version',
    line: directive?.line ?? location.statement.line,
    lines: lines(directive),
    summary: !directive
      ? 'No proxy_http_version 1.1: nginx speaks HTTP/1.0 to the upstream by default.'
      : directive.args[0]?.value === '1.0'
        ? 'proxy_http_version 1.0 asks the upstream for the upgrade over HTTP/1.0.'
        : `proxy_http_version ${directive.args[0]?.value ?? ''} is not 1.1, the version a WebSocket upgrade needs.`,
    why: 'HTTP/1.0 has no Upgrade mechanism (RFC 9110 §7.8) and RFC 6455 §4.1 requires an HTTP/1.1 request: a strict server refuses it, and a lenient one (Node\'s ws) accepts it, so a change of backend breaks WebSockets with no change to nginx.',
    fix: 'Add proxy_http_version 1.1; to the location.',
    reference: `RFC 6455 §4.1; RFC 9110 §7.8; ${DOCS}`,
  };
}

function upgradeHeader(location: LocationView): Found | undefined {
  const directive = setHeader(location.levels, 'upgrade');
  if (directive && value(directive) !== '') return undefined;
  return {
    id: 'upgrade-not-set',
    line: directive?.line ?? location.statement.line,
    lines: lines(directive),
    summary: 'Upgrade is not set again for the upstream, so nginx drops the browser\'s Upgrade: websocket.',
    why: 'Upgrade is a hop-by-hop header (RFC 9110 §7.6.1): nginx never forwards it, so the upstream sees a plain GET and answers 426 or 400, and the browser reports 1006.',
    fix: 'proxy_set_header Upgrade $http_upgrade;',
    reference: `RFC 9110 §7.6.1, §7.8; ${DOCS}`,
  };
}

function connectionHeader(location: LocationView): Found | undefined {
  const directive = setHeader(location.levels, 'connection');
  const v = value(directive) ?? '';
  // A variable (a map on $http_upgrade, the client's own $http_connection) is judged by the run, not guessed at here.
  if (directive && hasVariables(v)) return undefined;
  if (directive && /(^|[\s,])upgrade($|[\s,])/i.test(v)) {
    return {
      id: 'connection-constant',
      line: directive.line,
      lines: [directive.line],
      summary: `Connection "${v}" is sent for every request through this location, WebSocket or not.`,
      why:
        'Without map $http_upgrade $connection_upgrade, a plain request (a health check, a long-poll fallback, a fetch) also goes upstream with Connection: upgrade and no Upgrade header: ' +
        'it asks for an upgrade to nothing, keeps nginx from closing the connection as it should, and some servers refuse it.',
      fix: "At http level: map $http_upgrade $connection_upgrade { default upgrade; '' close; } — then proxy_set_header Connection $connection_upgrade;",
      reference: `RFC 9110 §7.6.1, §7.8; ${DOCS}`,
    };
  }
  return {
    id: 'connection-not-set',
    line: directive?.line ?? location.statement.line,
    lines: lines(directive),
    summary: directive ? `Connection is set to "${v}", without the upgrade token.` : 'Connection is not set again for the upstream, so nginx sends its default Connection: close.',
    why: 'Connection is hop-by-hop: nginx replaces the browser\'s Connection: Upgrade with its own. Without the upgrade token the upstream does not see an upgrade request (RFC 9110 §7.8), answers 426, and the browser reports 1006.',
    fix: "proxy_set_header Connection $connection_upgrade; with map $http_upgrade $connection_upgrade { default upgrade; '' close; } at http level (or Connection \"upgrade\").",
    reference: `RFC 9110 §7.6.1, §7.8; ${DOCS}`,
  };
}

function hostWithoutPort(location: LocationView, layout: PastedLayout, labPort: number): Found | undefined {
  const directive = setHeader(location.levels, 'host');
  if (!directive || !/^\$\{?host\}?$/.test(value(directive) ?? '')) return undefined;
  const ports = listenPorts(layout);
  const odd = ports.filter((p) => p !== 80 && p !== 443);
  if (ports.length > 0 && odd.length === 0) return undefined;
  const where = odd.length > 0 ? `this server listens on :${odd.join(', :')}` : `clients may reach nginx on a port other than 80 or 443 (the lab's nginx is on :${labPort})`;
  return {
    id: 'host-without-port',
    line: directive.line,
    lines: [directive.line],
    summary: `proxy_set_header Host $host drops the port, and ${where}.`,
    why: "$host is the host name without the port. The browser's Origin keeps it (an origin is scheme, host and port, RFC 6454), so an upstream that checks Origin against Host refuses the upgrade with 403, and absolute URLs it builds from Host lose the port.",
    fix: 'proxy_set_header Host $http_host; (the Host the browser sent, port included), or "$host:$server_port".',
    reference: 'RFC 9110 §7.2; RFC 6454 §4; nginx docs: $host and $http_host (ngx_http_core_module)',
  };
}

function readTimeout(location: LocationView, heartbeatMs: number | undefined): Found | undefined {
  const directive = effective(location.levels, 'proxy_read_timeout');
  const timeoutMs = directive ? parseNginxTime(directive.args[0]?.value ?? '') : NGINX_DEFAULT_READ_TIMEOUT_MS;
  if (timeoutMs === undefined) return undefined;
  const set = directive ? `proxy_read_timeout ${directive.args[0]?.value ?? ''}` : `proxy_read_timeout is not set (nginx's default is ${nginxTime(NGINX_DEFAULT_READ_TIMEOUT_MS)})`;
  if (heartbeatMs !== undefined ? timeoutMs > heartbeatMs : timeoutMs >= TYPICAL_IDLE_MS) return undefined;
  const summary =
    heartbeatMs !== undefined
      ? `${set}, not longer than the app's heartbeat of ${heartbeatMs} ms: nginx cuts the tunnel between two pings.`
      : `${set}: nginx cuts a WebSocket that is quiet for ${nginxTime(timeoutMs)}, and apps that wait for events are often quiet for minutes.`;
  return {
    id: 'read-timeout',
    line: directive?.line ?? location.statement.line,
    lines: lines(directive),
    summary,
    why: 'To nginx an upgraded connection is still a proxied request: when nothing comes from the upstream for proxy_read_timeout, it closes both connections without a close frame, and the browser reports 1006 (RFC 6455 §7.1.5). A ping is traffic, so a heartbeat shorter than the timeout keeps the tunnel open.',
    fix: `Raise it (proxy_read_timeout 1h; proxy_send_timeout 1h;), or have the server ping more often than every ${nginxTime(timeoutMs)}.`,
    reference: `RFC 6455 §5.5.2, §7.1.5; ${DOCS}`,
    timeoutMs,
  };
}

function serverHeadersDropped(location: LocationView): Found | undefined {
  const mine = effectiveList(location.levels, 'proxy_set_header');
  const innermost = location.levels.length - 1;
  if (mine.level !== innermost) return undefined;
  const outer = effectiveList(location.levels, 'proxy_set_header', innermost - 1);
  const names = new Set(mine.statements.map((s) => s.args[0]?.value.toLowerCase()));
  const dropped = outer.statements.filter((s) => !names.has(s.args[0]?.value.toLowerCase()));
  if (dropped.length === 0) return undefined;
  const level = outer.level === 0 ? 'http' : outer.level === 1 ? 'server' : 'the enclosing location';
  const list = dropped.map((s) => `${s.args[0]?.value ?? ''} (line ${s.line})`).join(', ');
  return {
    id: 'server-headers-dropped',
    line: dropped[0]!.line,
    lines: dropped.map((s) => s.line),
    summary: `The proxy_set_header lines at ${level} level do not reach ${location.text}: ${list} ${dropped.length === 1 ? 'is' : 'are'} silently dropped, because the location sets headers of its own.`,
    why: 'nginx inherits proxy_set_header from the level around only when the inner level sets none at all; one proxy_set_header in the location replaces the whole outer list. nginx -t says nothing about it.',
    fix: `Repeat the dropped lines inside the location (or move all of them there): ${dropped.map((s) => `proxy_set_header ${s.args.map((a) => a.value).join(' ')};`).join(' ')}`,
    reference: 'nginx docs: proxy_set_header ("inherited from the previous configuration level if and only if there are no proxy_set_header directives defined on the current level")',
    dropped: dropped.map((s) => ({ name: s.args[0]?.value ?? '', value: s.args[1]?.value ?? '', line: s.line })),
  };
}

function proxyPassUri(location: LocationView, proxyPass: Statement): Found | undefined {
  const parts = proxyPassParts(proxyPass.args[0]?.value ?? '');
  if (!parts || parts.uri === '' || /^\$\{?request_uri\}?$/.test(parts.uri)) return undefined;
  const variables = hasVariables(parts.uri);
  if (!variables && location.modifier !== '=' && parts.uri === location.path) return undefined;
  const summary = variables
    ? `proxy_pass ends in ${parts.uri}, built from variables: nginx sends exactly that as the path, not the request's.`
    : `proxy_pass has a URI part (${parts.uri}): nginx replaces the part of the path that matched ${location.text} with it, so ${location.path}… arrives upstream as ${parts.uri}….`;
  return {
    id: 'proxy-pass-uri',
    line: proxyPass.line,
    lines: [proxyPass.line],
    summary,
    why: 'A WebSocket server usually answers on one path (/ws, /socket.io/): when the path it receives differs from the one the browser asked for, it answers 404 or 400 and the browser reports 1006. Whether proxy_pass ends in a slash changes the path.',
    fix: `To pass the path unchanged, write proxy_pass without a URI part: proxy_pass ${parts.scheme}://${parts.authority};`,
    reference: 'nginx docs: proxy_pass ("If proxy_pass is specified with URI …")',
  };
}

/** Every pitfall of every location that proxies, in the order of the text. */
export function findPitfalls(statements: readonly Statement[], options: { heartbeatMs?: number; labPort: number }): NginxPitfall[] {
  const layout = layoutOf(statements);
  const out: NginxPitfall[] = [];
  for (const location of locationsOf(layout)) {
    const proxyPass = location.statement.block?.find((s) => s.name.value === 'proxy_pass');
    if (!proxyPass) continue;
    const found = [
      httpVersion(location),
      upgradeHeader(location),
      connectionHeader(location),
      hostWithoutPort(location, layout, options.labPort),
      readTimeout(location, options.heartbeatMs),
      serverHeadersDropped(location),
      proxyPassUri(location, proxyPass),
    ];
    for (const pitfall of found) if (pitfall) out.push({ ...pitfall, location: { text: location.text, line: location.statement.line } });
  }
  return out;
}
