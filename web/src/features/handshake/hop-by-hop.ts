// The server's own header helpers: one list of hop-by-hop fields for server and UI.
export { HOP_BY_HOP, headerValue, hopByHopNames } from '../../../../server/src/shared/headers.ts';
import { HOP_BY_HOP } from '../../../../server/src/shared/headers.ts';

/** Why a header is hop-by-hop, for its badge's title. */
export function hopByHopReason(name: string): string {
  const lower = name.toLowerCase();
  return (HOP_BY_HOP as readonly string[]).includes(lower)
    ? `${name} is hop-by-hop (RFC 9110 §7.6.1): it describes this connection only, and a proxy must not forward it.`
    : `${name} is named in this message's Connection header, which makes it hop-by-hop (RFC 9110 §7.6.1): a proxy must drop it.`;
}
