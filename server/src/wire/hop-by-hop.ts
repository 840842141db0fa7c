import type { HeaderList } from '../transcript/types.ts';
import { headerValues } from './http-head.ts';

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
