import type { HeaderList } from '../../../../server/src/transcript/types.ts';

/**
 * RFC 9110 §7.6.1: connection-specific fields a proxy must not forward (the same list as
 * server/src/wire/hop-by-hop.ts, which cannot be bundled for the browser: its module
 * graph uses Node's Buffer). Proxy-Connection is the legacy one §7.6.1 names.
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

/** Lower-cased names that are hop-by-hop here: the fixed set plus every header named in Connection. */
export function hopByHopNames(headers: HeaderList): Set<string> {
  const named = headers
    .filter(([name]) => name.toLowerCase() === 'connection')
    .flatMap(([, value]) => value.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
  return new Set<string>([...HOP_BY_HOP, ...named]);
}

/** Why a header is hop-by-hop, for its badge's title. */
export function hopByHopReason(name: string): string {
  const lower = name.toLowerCase();
  return (HOP_BY_HOP as readonly string[]).includes(lower)
    ? `${name} is hop-by-hop (RFC 9110 §7.6.1): it describes this connection only, and a proxy must not forward it.`
    : `${name} is named in this message's Connection header, which makes it hop-by-hop (RFC 9110 §7.6.1): a proxy must drop it.`;
}

export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}
