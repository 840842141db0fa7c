// Servers of the user's own, named on the command line: `--upstream <name>=ws://host:port/path`.
// They are the only foreign servers the proxies reach (no open relay). A `wss://` upstream is
// reached over TLS, as nginx reaches `proxy_pass https://`: its certificate is not verified
// (nginx's `proxy_ssl_verify off`, the default), and the host name is sent as SNI when it is one.

import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { UpstreamRef } from '../transcript/types.ts';

export interface NamedUpstream {
  name: string;
  /** As given on the command line. */
  url: string;
  scheme: 'ws' | 'wss';
  host: string;
  port: number;
  /** The path the UI opens by default behind `/upstream/<name>` (the URL's own path, `/` when it has none). */
  path: string;
}

/** A name that is safe in a URL path segment, an nginx `location` and a log line. */
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/i;

/** `name=ws://host:port/path` → the upstream, or a message that says what to write instead. */
export function parseUpstream(spec: string): NamedUpstream | string {
  const eq = spec.indexOf('=');
  if (eq <= 0) return `--upstream needs name=ws://host:port, not ${JSON.stringify(spec)}`;
  const name = spec.slice(0, eq);
  const url = spec.slice(eq + 1);
  if (!NAME.test(name)) return `--upstream name ${JSON.stringify(name)} must be 1-32 letters, digits, '-' or '_', starting with a letter or digit`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `--upstream ${name}: ${JSON.stringify(url)} is not a URL; write ws://host:port`;
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') return `--upstream ${name}: the URL must start with ws:// or wss://, not ${parsed.protocol}//`;
  const scheme = parsed.protocol === 'wss:' ? 'wss' : 'ws';
  if (parsed.username !== '' || parsed.password !== '') return `--upstream ${name}: the URL must not carry a user or password`;
  if (parsed.search !== '' || parsed.hash !== '') return `--upstream ${name}: the URL must not carry a query or fragment; the lab adds its own query`;
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port === '' ? (scheme === 'wss' ? 443 : 80) : Number(parsed.port);
  return { name, url, scheme, host, port, path: parsed.pathname === '' ? '/' : parsed.pathname };
}

/** Every `--upstream`, refusing a name given twice. */
export function parseUpstreams(specs: readonly string[]): NamedUpstream[] | string {
  const out: NamedUpstream[] = [];
  for (const spec of specs) {
    const upstream = parseUpstream(spec);
    if (typeof upstream === 'string') return upstream;
    if (out.some((u) => u.name === upstream.name)) return `--upstream ${upstream.name} is given twice; each name must be unique`;
    out.push(upstream);
  }
  return out;
}

/** `host:port` as a proxy writes it in `proxy_pass` and sends by default as Host (IPv6 in brackets). */
export function upstreamAuthority(upstream: Pick<NamedUpstream, 'host' | 'port'>): string {
  const host = upstream.host.includes(':') ? `[${upstream.host}]` : upstream.host;
  return `${host}:${upstream.port}`;
}

/**
 * A connection to the upstream: TCP for ws://, TLS for wss:// (ALPN http/1.1, SNI when the host is a
 * name, certificate not verified, as nginx's proxy_ssl_verify off). The request may be written at
 * once: a TLS socket holds it until its handshake is done.
 */
export function connectUpstream(upstream: Pick<NamedUpstream, 'scheme' | 'host' | 'port'>): Socket {
  if (upstream.scheme === 'ws') return tcpConnect(upstream.port, upstream.host);
  return tlsConnect({
    host: upstream.host,
    port: upstream.port,
    ALPNProtocols: ['http/1.1'],
    rejectUnauthorized: false,
    ...(isIP(upstream.host) === 0 ? { servername: upstream.host } : {}),
  });
}

/** The event after which the upstream is reached: the TLS handshake done for wss://, so a failed one is "unreachable". */
export function readyEvent(upstream: Pick<NamedUpstream, 'scheme'>): 'connect' | 'secureConnect' {
  return upstream.scheme === 'wss' ? 'secureConnect' : 'connect';
}

export function upstreamRef(upstream: NamedUpstream): UpstreamRef {
  return { name: upstream.name, url: upstream.url };
}

/** The path prefix that routes to an upstream on the proxy and nginx ports. */
export const UPSTREAM_PREFIX = '/upstream/';
