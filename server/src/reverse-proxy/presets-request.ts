// The request a preset sends upstream: byte for byte what nginx 1.22 sends for the preset's
// config (request line, header names, case, order, values), or what RFC 9110 asks of a
// strict proxy. Pure: no sockets.

import type { HeaderList } from '../transcript/types.ts';
import { assertNever } from '../shared/assert.ts';
import { nginxValue, originForm, type NginxRequestContext } from './presets-nginx.ts';
import { connectionOptions, forwardStrictly, upgradeProtocols } from './presets-strict.ts';
import type { Preset } from './presets.ts';

export interface UpstreamInput {
  method: string;
  target: string;
  /** As in the request line, without `HTTP/`: `1.1`. */
  httpVersion: string;
  headers: HeaderList;
  /** The browser's address as the proxy sees it (`$remote_addr`). */
  clientAddress: string;
  /** `host:port` as in `proxy_pass http://host:port;`. */
  upstreamHost: string;
  /** The port the browser connected to. */
  listenPort: number;
  /** `https` when the browser's connection was TLS, terminated at the proxy. */
  scheme?: 'http' | 'https';
}

export interface UpstreamRequest {
  method: string;
  target: string;
  httpVersion: string;
  headers: HeaderList;
}

/**
 * nginx's own `proxy_set_header` defaults (ngx_http_proxy_headers), appended after the
 * configured ones unless a configured one has the same name. An empty value sends nothing,
 * but its name still keeps the client's field of that name from being passed on.
 */
const NGINX_DEFAULT_HEADERS = [
  ['Host', '$proxy_host'],
  ['Connection', 'close'],
  ['Content-Length', '$proxy_internal_body_length'],
  ['Transfer-Encoding', '$proxy_internal_chunked'],
  ['TE', ''],
  ['Keep-Alive', ''],
  ['Expect', ''],
  ['Upgrade', ''],
] as const;

/**
 * nginx ignores a client header whose name has anything but letters, digits and `-`
 * (`ignore_invalid_headers on`, `underscores_in_headers off`): `X_Custom` never goes upstream.
 */
const NGINX_VALID_NAME = /^[A-Za-z0-9-]+$/;

export function upstreamRequest(preset: Preset, input: UpstreamInput): UpstreamRequest {
  switch (preset.behaviour) {
    case 'nginx':
      return nginxUpstreamRequest(preset, input);
    case 'rfc9110-strict':
      return strictUpstreamRequest(input);
    default:
      return assertNever(preset.behaviour, 'preset behaviour');
  }
}

function nginxUpstreamRequest(preset: Preset, input: UpstreamInput): UpstreamRequest {
  const ctx: NginxRequestContext = {
    target: input.target,
    headers: input.headers,
    clientAddress: input.clientAddress,
    upstreamHost: input.upstreamHost,
    ...(input.scheme ? { scheme: input.scheme } : {}),
  };
  const configured = new Set(preset.setHeaders.map(([name]) => name.toLowerCase()));
  const directives = [...preset.setHeaders, ...NGINX_DEFAULT_HEADERS.filter(([name]) => !configured.has(name.toLowerCase()))];
  const replaced = new Set(directives.map(([name]) => name.toLowerCase()));

  const headers: HeaderList = [];
  for (const [name, source] of directives) {
    const value = nginxValue(source, ctx);
    if (value !== '') headers.push([name, value]);
  }
  for (const [name, value] of input.headers) {
    if (NGINX_VALID_NAME.test(name) && !replaced.has(name.toLowerCase())) headers.push([name, value]);
  }
  return { method: input.method, target: originForm(input.target), httpVersion: preset.upstreamHttpVersion, headers };
}

/**
 * RFC 9110 §7.6.1: remove Connection, every field it names, and the fields known to be
 * hop-by-hop. Proxy-Authorization is consumed by the first proxy expecting it and the next
 * hop is the origin, not a proxy (§11.7.4), so it goes too. Everything end-to-end, Host
 * included, passes unchanged, in order.
 *
 * RFC 9110 §7.8: the upgrade applies to one connection, so the proxy asks the next hop
 * itself, over HTTP/1.1, when this hop asked for websocket: Upgrade listed in Connection (an
 * Upgrade the Connection field does not name may have been blindly forwarded by an older
 * intermediary), in an HTTP/1.1 request (a server must ignore Upgrade in HTTP/1.0). Without an
 * upgrade the proxy sends `Connection: close`: it does not keep upstream connections (RFC 9112 §9.6).
 */
function strictUpstreamRequest(input: UpstreamInput): UpstreamRequest {
  const upgrade =
    isHttp11OrLater(input.httpVersion) &&
    connectionOptions(input.headers).includes('upgrade') &&
    upgradeProtocols(input.headers).includes('websocket');
  const headers = forwardStrictly(
    input.headers,
    upgrade ? { connection: 'Upgrade', upgrade: 'websocket' } : { connection: 'close' },
    ['proxy-authorization'],
  );
  return { method: input.method, target: originForm(input.target), httpVersion: '1.1', headers };
}

function isHttp11OrLater(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 1);
}
