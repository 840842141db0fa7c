// Forward-proxy presets: what corporate proxies do to WebSockets, one behaviour per port.
//
// A CONNECT request names only `host:port` (RFC 9110 §9.3.6: authority-form), never a path, so a
// browser's tunnel cannot choose a behaviour by path the way the reverse proxy's presets are
// chosen; a browser chooses its proxy by address. Each preset is therefore a forward proxy of its
// own, on its own port, with the same allowlist as the plain one.

import type { Refusal } from '../wire/refusal.ts';

export type ForwardProxyPresetName = 'connect-443-only' | 'tls-only' | 'http-only';

export interface ForwardProxyPreset {
  name: ForwardProxyPresetName;
  /** One sentence for the UI. */
  description: string;
  /** The port `npm start` gives it (`--forward-proxy-preset <name>=<port>` changes it). */
  defaultPort: number;
  /** The proxy configuration it behaves like, for the inspector (Squid's words). */
  config: string;
}

export const FORWARD_PROXY_PRESETS: readonly ForwardProxyPreset[] = [
  {
    name: 'connect-443-only',
    description: 'CONNECT only to port 443 (and the lab\'s TLS ports, which stand in for it): ws:// to any other port is refused with 403, so only wss:// gets through.',
    defaultPort: 3129,
    config: ['acl SSL_ports port 443', 'acl CONNECT method CONNECT', 'http_access deny CONNECT !SSL_ports', 'http_access allow all'].join('\n'),
  },
  {
    name: 'tls-only',
    description: 'CONNECT to any allowed port, but the tunnel is cut when its first bytes are not a TLS ClientHello, as proxies that block traffic which does not appear to be SSL do.',
    defaultPort: 3130,
    config: ['# Squid with ssl_bump peek: non-TLS bytes in a CONNECT tunnel end it', 'acl step1 at_step SslBump1', 'ssl_bump peek step1', 'ssl_bump splice all', 'on_unsupported_protocol respond all'].join('\n'),
  },
  {
    name: 'http-only',
    description: 'No CONNECT (403): only absolute-URI requests are forwarded, as plain HTTP with the hop-by-hop Upgrade and Connection dropped, so an upgrade never reaches the server.',
    defaultPort: 3131,
    config: ['acl CONNECT method CONNECT', 'http_access deny CONNECT', 'http_access allow all', '# Squid forwards the request itself; Upgrade is hop-by-hop and is dropped'].join('\n'),
  },
];

export function forwardProxyPreset(name: string): ForwardProxyPreset | undefined {
  return FORWARD_PROXY_PRESETS.find((p) => p.name === name);
}

/** A preset's own refusal of a CONNECT (before the allowlist): a code a diagnosis reads, and the answer. */
export function presetRefusesConnect(
  preset: ForwardProxyPresetName | undefined,
  port: number,
  tlsPorts: readonly number[],
): (Refusal & { code: string }) | undefined {
  if (preset === 'http-only') {
    return { code: 'CONNECT_NOT_ALLOWED', status: 403, reason: 'forward proxy (http-only): CONNECT is not allowed here; this proxy only forwards plain HTTP requests (GET http://host/…)' };
  }
  if (preset === 'connect-443-only' && port !== 443 && !tlsPorts.includes(port)) {
    const like = tlsPorts.length > 0 ? ` (or the lab's TLS ports ${tlsPorts.join(', ')}, which stand in for 443)` : '';
    return { code: 'CONNECT_PORT_NOT_ALLOWED', status: 403, reason: `forward proxy (connect-443-only): CONNECT to port ${port} refused: only port 443${like} may be tunnelled to` };
  }
  return undefined;
}

/**
 * Whether bytes start a TLS handshake record (RFC 8446 §5.1): content type 22, legacy version
 * 3.x. A proxy that only lets TLS through looks at no more than this.
 */
export function startsWithTlsHandshake(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x16 && bytes[1] === 0x03;
}

/** The first bytes, printable, for a message: `"GET /echo?lab=… HTTP/1.1"`. */
export function firstLine(bytes: Buffer): string {
  const text = bytes.subarray(0, 80).toString('latin1');
  const line = text.split('\r\n')[0] ?? '';
  return JSON.stringify(line.replace(/[^\x20-\x7e]/g, '.'));
}
