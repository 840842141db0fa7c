// nginx's variables and `map`s, as the presets use them, evaluated the way nginx 1.22 does.
// Every rule here was measured against Debian's nginx 1.22.1 (server/test/nginx/parity.test.ts).

import type { HeaderList } from '../transcript/types.ts';

/** What a variable can see of the request nginx is proxying. */
export interface NginxRequestContext {
  /** The request target as the client sent it (origin-form or absolute-form). */
  target: string;
  headers: HeaderList;
  clientAddress: string;
  /** `host:port` as written in `proxy_pass`. */
  upstreamHost: string;
  /** `$scheme`: `https` on a TLS listener (`listen 443 ssl`), else `http`. */
  scheme?: 'http' | 'https';
}

/** The `map` blocks a preset may rely on; they live at `http` level, beside the server. */
export const NGINX_MAPS = {
  connection_upgrade: {
    text: ['map $http_upgrade $connection_upgrade {', '    default upgrade;', "    ''      close;", '}'].join('\n'),
    value: (ctx: NginxRequestContext) => (httpHeader(ctx.headers, 'upgrade') === '' ? 'close' : 'upgrade'),
  },
  strict_upgrade: {
    text: ['map $http_upgrade $strict_upgrade {', '    default     "";', '    ~*websocket websocket;', '}'].join('\n'),
    value: (ctx: NginxRequestContext) => (/websocket/i.test(httpHeader(ctx.headers, 'upgrade')) ? 'websocket' : ''),
  },
  strict_connection: {
    text: ['map $http_upgrade $strict_connection {', '    default     close;', '    ~*websocket Upgrade;', '}'].join('\n'),
    value: (ctx: NginxRequestContext) => (/websocket/i.test(httpHeader(ctx.headers, 'upgrade')) ? 'Upgrade' : 'close'),
  },
} as const;

export type NginxMapName = keyof typeof NGINX_MAPS;

function isMapName(name: string): name is NginxMapName {
  return Object.hasOwn(NGINX_MAPS, name);
}

/**
 * `$http_<name>`: the first header of that name. nginx 1.22 joins repeated headers only for
 * the few it knows to be lists (X-Forwarded-For with ", ", Cookie with "; ").
 */
function httpHeader(headers: HeaderList, lowerName: string): string {
  const values = headers.filter(([n]) => n.toLowerCase() === lowerName).map(([, v]) => v.trim());
  if (lowerName === 'x-forwarded-for') return values.join(', ');
  if (lowerName === 'cookie') return values.join('; ');
  return values[0] ?? '';
}

/** The authority of an absolute-form target (`GET http://host:port/path`), if it is one. */
function absoluteAuthority(target: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(target)?.[1];
}

/** The request target nginx passes upstream for `proxy_pass` without a URI: origin-form, as received. */
export function originForm(target: string): string {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(target);
  if (!match) return target;
  const rest = target.slice(match[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * `$host`: the host of an absolute-form target, else of the Host header, lower-cased, without
 * port or trailing dot; else the server_name, which the lab's server block leaves empty.
 */
export function nginxHost(ctx: NginxRequestContext): string {
  const raw = absoluteAuthority(ctx.target) ?? ctx.headers.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? '';
  let host = raw.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end === -1 ? host : host.slice(0, end + 1);
  } else {
    const colon = host.indexOf(':');
    if (colon !== -1) host = host.slice(0, colon);
  }
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** `$proxy_host`: the `proxy_pass` host, without the port when it is the default 80. */
export function proxyHost(upstreamHost: string): string {
  return upstreamHost.endsWith(':80') ? upstreamHost.slice(0, -3) : upstreamHost;
}

/** The value of one nginx variable, or an error naming a variable the lab does not model. */
export function nginxVariable(name: string, ctx: NginxRequestContext): string {
  if (isMapName(name)) return NGINX_MAPS[name].value(ctx);
  if (name.startsWith('http_')) return httpHeader(ctx.headers, name.slice(5).replaceAll('_', '-'));
  switch (name) {
    case 'host':
      return nginxHost(ctx);
    case 'proxy_host':
      return proxyHost(ctx.upstreamHost);
    case 'remote_addr':
      return ctx.clientAddress;
    case 'scheme':
      return ctx.scheme ?? 'http';
    case 'proxy_add_x_forwarded_for': {
      const forwarded = httpHeader(ctx.headers, 'x-forwarded-for');
      return forwarded === '' ? ctx.clientAddress : `${forwarded}, ${ctx.clientAddress}`;
    }
    case 'proxy_internal_body_length': {
      // The request body nginx forwards; a WebSocket handshake has none, so only a declared length shows.
      const length = httpHeader(ctx.headers, 'content-length');
      return /^\d+$/.test(length) ? String(Number(length)) : '';
    }
    case 'proxy_internal_chunked':
      // nginx buffers a chunked request body and sends its length instead; the lab forwards no bodies.
      return '';
    default:
      throw new Error(`nginx variable $${name} is not modelled by the lab's presets`);
  }
}

/**
 * A `proxy_set_header` value as written in nginx.conf (`"upgrade"`, `$http_upgrade`,
 * `"$host:8080"`), with its variables replaced. An empty result means nginx sends no such header.
 */
export function nginxValue(source: string, ctx: NginxRequestContext): string {
  const unquoted = source.length >= 2 && source.startsWith('"') && source.endsWith('"') ? source.slice(1, -1) : source;
  return unquoted.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) =>
    nginxVariable(braced ?? bare ?? '', ctx),
  );
}

/** The maps a `proxy_set_header` value refers to, so the generated config can declare them. */
export function mapsUsedBy(values: readonly string[]): NginxMapName[] {
  const used = new Set<NginxMapName>();
  for (const value of values) {
    for (const match of value.matchAll(/\$\{?(\w+)\}?/g)) {
      const name = match[1] ?? '';
      if (isMapName(name)) used.add(name);
    }
  }
  return [...used];
}
