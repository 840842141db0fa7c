// The response a preset gives the browser for an upstream response: byte for byte what
// nginx 1.22 answers (its own Server and Date, Connection: upgrade on 101, keep-alive or
// chunking on a refusal), or what a strict RFC 9110 proxy relays. Pure: no sockets.

import type { HeaderList } from '../transcript/types.ts';
import { assertNever } from '../shared/assert.ts';
import { nginxHost, proxyHost } from './presets-nginx.ts';
import type { UpstreamInput } from './presets-request.ts';
import { forwardStrictly } from './presets-strict.ts';
import type { Preset } from './presets.ts';

/** The bundled proxy's `Server` header: the one way it may differ from real nginx. */
export const LAB_SERVER = 'websocket-upgrade-lab';

export interface ProxiedResponse {
  status: number;
  reason: string;
  /** Without `HTTP/`: `1.1`. */
  httpVersion: string;
  headers: HeaderList;
  /** The content, without any chunked framing: `Transfer-Encoding: chunked` in `headers` says how to send it. */
  body?: string;
}

export interface DownstreamInfo {
  /** The `Date` value nginx would stamp (an IMF-fixdate: `new Date().toUTCString()`). */
  date: string;
  /** The `Server` value; the bundled proxy's own, `websocket-upgrade-lab`, unless told otherwise. */
  server?: string;
  /**
   * The browser's request, as given to `upstreamRequest`. Without it the browser is taken to
   * have sent a plain HTTP/1.1 GET that allows keep-alive.
   */
  request?: UpstreamInput;
}

export function downstreamResponse(preset: Preset, upstream: ProxiedResponse, info: DownstreamInfo): ProxiedResponse {
  switch (preset.behaviour) {
    case 'nginx':
      return nginxDownstreamResponse(upstream, info);
    case 'rfc9110-strict':
      return strictDownstreamResponse(upstream, info);
    default:
      return assertNever(preset.behaviour, 'preset behaviour');
  }
}

/** `proxy_hide_header` defaults: nginx sends its own Date and Server instead. */
const NGINX_HIDDEN = new Set([
  'date',
  'server',
  'x-pad',
  'x-accel-expires',
  'x-accel-redirect',
  'x-accel-limit-rate',
  'x-accel-buffering',
  'x-accel-charset',
]);
/** Connection-level fields nginx consumes. Proxy-Connection, Trailer, Upgrade and fields named in Connection pass. */
const NGINX_CONSUMED = new Set(['connection', 'keep-alive', 'transfer-encoding']);

function hasBody(status: number, method: string): boolean {
  return status >= 200 && status !== 204 && status !== 304 && method !== 'HEAD';
}

/**
 * Whether nginx keeps the browser's connection after this response: it reads only the first
 * Connection field, and looks for "close", then "keep-alive", anywhere in its value.
 */
function clientKeepAlive(request: UpstreamInput | undefined): boolean {
  if (request === undefined) return true;
  const connection = (request.headers.find(([n]) => n.toLowerCase() === 'connection')?.[1] ?? '').toLowerCase();
  if (connection.includes('close')) return false;
  if (connection.includes('keep-alive')) return true;
  const [major = 0, minor = 0] = request.httpVersion.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 1);
}

/**
 * `proxy_redirect default`: a Location under `http://<proxy_pass host>/` becomes a path, which
 * nginx's header filter then makes absolute again against the browser's Host and nginx's port
 * (`absolute_redirect on`).
 */
function rewrittenLocation(value: string, request: UpstreamInput | undefined): string | undefined {
  if (request === undefined) return undefined;
  const prefix = `http://${proxyHost(request.upstreamHost)}/`;
  if (!value.startsWith(prefix)) return undefined;
  const host = nginxHost({ ...request }) || '127.0.0.1';
  const scheme = request.scheme ?? 'http';
  const port = request.listenPort === (scheme === 'https' ? 443 : 80) ? '' : `:${request.listenPort}`;
  return `${scheme}://${host}${port}/${value.slice(prefix.length)}`;
}

/** `proxy_redirect default` on Refresh: `url=http://<proxy_pass host>/x` becomes `url=/x`. */
function rewrittenRefresh(value: string, request: UpstreamInput | undefined): string {
  if (request === undefined) return value;
  const at = value.toLowerCase().indexOf('url=');
  const prefix = `http://${proxyHost(request.upstreamHost)}/`;
  if (at === -1 || !value.startsWith(prefix, at + 4)) return value;
  return `${value.slice(0, at + 4)}/${value.slice(at + 4 + prefix.length)}`;
}

/**
 * nginx's header filter writes, in this order: the status line (HTTP/1.1 and the upstream's
 * own status text), Server, Date, Content-Type, Content-Length, a rewritten Location,
 * Transfer-Encoding: chunked, Connection; then the upstream's remaining fields in order,
 * names as sent. Content-Type and Content-Length get nginx's spelling.
 */
function nginxDownstreamResponse(upstream: ProxiedResponse, info: DownstreamInfo): ProxiedResponse {
  const request = info.request;
  const method = request?.method ?? 'GET';
  let contentType: string | undefined;
  let contentLength: string | undefined;
  let location: string | undefined;
  const rest: HeaderList = [];
  for (const [name, value] of upstream.headers) {
    const lower = name.toLowerCase();
    if (NGINX_HIDDEN.has(lower) || NGINX_CONSUMED.has(lower)) continue;
    if (lower === 'content-type') contentType = value;
    else if (lower === 'content-length') contentLength ??= /^\d+$/.test(value.trim()) ? String(Number(value.trim())) : undefined;
    else if (lower === 'location' && location === undefined && rewrittenLocation(value, request) !== undefined) {
      location = rewrittenLocation(value, request);
    } else if (lower === 'refresh') rest.push([name, rewrittenRefresh(value, request)]);
    else rest.push([name, value]);
  }
  if (upstream.status === 204) {
    // A 204 has no content, so nginx sends neither its type nor its length.
    contentType = undefined;
    contentLength = undefined;
  }

  const body = upstream.status !== 101 && hasBody(upstream.status, method) ? upstream.body : undefined;
  let chunked = false;
  let connection: string;
  if (upstream.status === 101) {
    connection = 'upgrade';
  } else {
    let keepAlive = clientKeepAlive(request);
    if (contentLength === undefined && hasBody(upstream.status, method)) {
      // No length from upstream: an HTTP/1.1 browser gets chunks, an HTTP/1.0 one a close.
      if (request === undefined || request.httpVersion !== '1.0') chunked = true;
      else keepAlive = false;
    }
    connection = keepAlive ? 'keep-alive' : 'close';
  }

  const headers: HeaderList = [
    ['Server', info.server ?? LAB_SERVER],
    ['Date', info.date],
  ];
  if (contentType !== undefined) headers.push(['Content-Type', contentType]);
  if (contentLength !== undefined) headers.push(['Content-Length', contentLength]);
  if (location !== undefined) headers.push(['Location', location]);
  if (chunked) headers.push(['Transfer-Encoding', 'chunked']);
  headers.push(['Connection', connection], ...rest);
  return { status: upstream.status, reason: upstream.reason, httpVersion: '1.1', headers, ...(body === undefined ? {} : { body }) };
}

/**
 * RFC 9110 §7.6.1 on the way back: the upstream's hop-by-hop fields go (Proxy-Authenticate
 * too: it is addressed to the proxy, §11.7.1), end-to-end fields pass untouched, Date and
 * Server included. On 101 the proxy sends its own `Connection: Upgrade` with the upstream's
 * Upgrade (§7.8), so a clean handshake passes unchanged; otherwise `Connection: close`, as the
 * proxy closes after a refused upgrade (RFC 9112 §9.6). A 426 keeps its Upgrade, which §7.8
 * requires of it, now named in Connection as §7.8 requires of any Upgrade.
 */
function strictDownstreamResponse(upstream: ProxiedResponse, info: DownstreamInfo): ProxiedResponse {
  const method = info.request?.method ?? 'GET';
  const upgradeValue = upstream.headers.find(([n]) => n.toLowerCase() === 'upgrade')?.[1];
  let own: { connection: string; upgrade?: string } = { connection: 'close' };
  if (upstream.status === 101) own = { connection: 'Upgrade', upgrade: upgradeValue ?? 'websocket' };
  // A 426 must say which protocols would do (§7.8), and an Upgrade must be named in Connection.
  else if (upstream.status === 426 && upgradeValue !== undefined) own = { connection: 'Upgrade, close', upgrade: upgradeValue };
  const headers = forwardStrictly(upstream.headers, own, ['proxy-authenticate']);
  const body = upstream.status !== 101 && hasBody(upstream.status, method) ? upstream.body : undefined;
  return { status: upstream.status, reason: upstream.reason, httpVersion: '1.1', headers, ...(body === undefined ? {} : { body }) };
}
