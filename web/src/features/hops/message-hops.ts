import type { LabEvent, Party, RequestEvent, ResponseEvent } from '../../../../server/src/transcript/types.ts';
import { isConnectReply } from '../../../../server/src/shared/connect.ts';
import { PARTY_LABEL } from '../../components/format.ts';
import { diffHeaders, type HeaderDiffRow } from './header-diff.ts';

export type HttpMessage = RequestEvent | ResponseEvent;

/**
 * Two consecutive observations of the same message.
 * `through`: what one hop received, then what it sent on — the proxy's doing.
 * `wire`: what one end sent, then what the other end received — the same bytes unless something stood between.
 * `gap`: two observations with an unobserved hop between them.
 */
export interface HopPair {
  before: HttpMessage;
  after: HttpMessage;
  relation: 'through' | 'wire' | 'gap';
  rows: HeaderDiffRow[];
}

/** How far along its way a message is at this observation: hop index, sender's view before receiver's. */
function progress(e: HttpMessage, parties: readonly Party[]): number {
  const from = parties.indexOf(e.from);
  const to = parties.indexOf(e.to);
  const way = to >= from ? 1 : -1;
  const at = e.observer === e.to ? to : e.observer === e.from ? from + way * 0.5 : parties.indexOf(e.observer);
  return way * at;
}

/**
 * Every observation of the request (or of the response), in the order the message travelled.
 * The forward proxy's reply to the CONNECT is a message of its own, not a step of the handshake's.
 */
export function messageChain(events: readonly LabEvent[], kind: HttpMessage['kind'], parties: readonly Party[]): HttpMessage[] {
  return events
    .filter((e): e is HttpMessage => e.kind === kind && !isConnectReply(e))
    .sort((a, b) => progress(a, parties) - progress(b, parties) || a.seq - b.seq);
}

function relation(before: HttpMessage, after: HttpMessage): HopPair['relation'] {
  if (before.observer === after.observer && before.to === after.from) return 'through';
  // The same leg from both ends, or a tunnel (CONNECT) seen inside by the proxy and then by the echo server
  // (the request), or by the echo server and then inside by the proxy (the response).
  if (before.to === after.to && (before.from === after.from || before.observer === after.from)) return 'wire';
  if (before.from === after.from && before.to === after.observer) return 'wire';
  return 'gap';
}

export function pairOf(before: HttpMessage, after: HttpMessage): HopPair {
  const how = relation(before, after);
  return { before, after, relation: how, rows: diffHeaders(before.headers, after.headers, { throughProxy: how === 'through' }) };
}

/** The observation of the same message one hop earlier than `event`, diffed against it. */
export function previousHop(events: readonly LabEvent[], parties: readonly Party[], event: HttpMessage): HopPair | undefined {
  const chain = messageChain(events, event.kind, parties);
  const at = chain.findIndex((e) => e.seq === event.seq);
  const before = at > 0 ? chain[at - 1] : undefined;
  return before ? pairOf(before, event) : undefined;
}

/** "as the reverse proxy received it" / "as the echo server sent it". */
export function observation(e: HttpMessage): string {
  const who = PARTY_LABEL[e.observer];
  if (e.observer === e.to) return `as the ${who} received it from the ${PARTY_LABEL[e.from]}`;
  if (e.observer === e.from) return `as the ${who} sent it to the ${PARTY_LABEL[e.to]}`;
  return `as the ${who} saw it pass from the ${PARTY_LABEL[e.from]} to the ${PARTY_LABEL[e.to]}`;
}

/** What the diff between the two observations shows, in one sentence. */
export function pairCaption(pair: HopPair): string {
  const { before, after } = pair;
  const lead =
    pair.relation === 'through' ? `What the ${PARTY_LABEL[after.observer]} changed`
    : pair.relation === 'wire' ? 'What changed on the wire (anything here was done by something between the two)'
    : 'What changed across hops the lab did not observe';
  return `${lead}: ${before.kind} ${observation(before)} → ${observation(after)}`;
}
