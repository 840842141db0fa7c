import type { HeaderList } from '../wire/header-list.ts';

// Header-list helpers with no Node dependency: the server and the UI run the very same code.

/** Every value of a header, case-insensitively, in wire order. */
export function headerValues(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const [n, v] of headers) if (n.toLowerCase() === lower) values.push(v);
  return values;
}

/** The first value of a header, case-insensitively. */
export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * RFC 9110 §7.6.1: connection-specific fields a proxy must not forward. `Proxy-Connection`
 * and `Keep-Alive` are named there as legacy examples; Proxy-Authenticate/-Authorization
 * are addressed to the proxy itself (§11.7).
 */
export const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
] as const;

/** Tokens of every Connection header, lower-cased: `Connection: Upgrade, X-Foo` → ['upgrade', 'x-foo']. */
export function connectionTokens(headers: HeaderList): string[] {
  return headerValues(headers, 'connection')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
}

/** Lower-cased names that are hop-by-hop in this header list: the fixed set plus those named in Connection. */
export function hopByHopNames(headers: HeaderList): Set<string> {
  return new Set<string>([...HOP_BY_HOP, ...connectionTokens(headers)]);
}
