// Expectations and pointers in words: what the player lists under "What you should see" and
// "Look at", and what a failing test prints.
import { closeCodeName } from '../../../server/src/shared/close-codes.ts';
import { assertNever } from '../../../server/src/shared/assert.ts';
import type { Party } from '../../../server/src/transcript/types.ts';
import type { Expectation, Pointer } from './types.ts';
import { fill, type LessonWorld } from './world.ts';

const PARTY: Record<Party, string> = {
  browser: 'the browser',
  'reverse-proxy': 'the reverse proxy',
  nginx: 'nginx',
  'forward-proxy': 'the forward proxy',
  echo: 'the echo server',
};

export const partyName = (p: Party): string => PARTY[p];
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const leg = (from: Party, to: Party, seenBy?: Party) =>
  `${partyName(from)} → ${partyName(to)}${seenBy === undefined || seenBy === to ? '' : `, as ${partyName(seenBy)} saw it`}`;
const OPCODES: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };
const opcode = (n: number) => OPCODES[n] ?? `opcode ${n}`;
const withAlias = (on: string | undefined, text: string) => (on === undefined ? text : `${on}: ${text}`);

/** One expectation as a sentence. `world` resolves placeholders; without it they stay as written. */
export function describeExpectation(e: Expectation, world?: LessonWorld, alias?: string): string {
  const f = (s: string) => (world ? fill(s, world, e.kind === 'same-at-echo' || e.kind === 'browser-refused' ? alias : (e.on ?? alias)) : s);
  switch (e.kind) {
    case 'status':
      return withAlias(e.on, `${cap(e.from ? partyName(e.from) : 'the browser')}${e.from ? ` answers ${partyName(e.to ?? 'browser')}` : ' gets'} ${e.status}`);
    case 'close':
      return withAlias(e.on, `The browser's CloseEvent: ${e.code} (${closeCodeName(e.code)})${e.reason === undefined ? '' : ` “${e.reason}”`}, wasClean ${e.wasClean}`);
    case 'opened':
      return withAlias(e.on, e.opened ? 'The page sees the open event' : 'The page never sees the open event');
    case 'still-open':
      return withAlias(e.on, 'The connection is still open');
    case 'header': {
      const what = e.present ? `${e.name}${e.value !== undefined ? `: ${f(e.value)}` : e.includes !== undefined ? ` containing ${f(e.includes)}` : ''}` : `no ${e.name} header`;
      return withAlias(e.on, `${cap(e.event)} ${leg(e.from, e.to, e.seenBy)}: ${what}`);
    }
    case 'http-version':
      return withAlias(e.on, `Request ${leg(e.from, e.to, e.seenBy)} is HTTP/${e.version}`);
    case 'finding':
      return withAlias(e.on, e.present ? `Finding ${e.rule}${e.says === undefined ? '' : `: “${f(e.says)}”`}` : `No ${e.rule} finding`);
    case 'frames': {
      const kind = e.opcode === undefined ? 'frames' : `${opcode(e.opcode)} frames`;
      const count = e.count !== undefined ? `${e.count} ${kind}` : e.atLeast !== undefined ? `at least ${e.atLeast} ${kind}` : cap(kind);
      const first = [
        e.text === undefined ? '' : `“${e.text}”`,
        e.rsv1 === undefined ? '' : `RSV1 ${e.rsv1 ? 1 : 0}`,
        e.rsv2 === undefined ? '' : `RSV2 ${e.rsv2 ? 1 : 0}`,
        e.masked === undefined ? '' : e.masked ? 'masked' : 'unmasked',
        e.fin === undefined ? '' : e.fin ? 'FIN set' : 'FIN clear',
      ].filter(Boolean);
      const where = e.from !== undefined && e.to !== undefined ? ` ${leg(e.from, e.to, e.seenBy)}` : ' on any leg';
      return withAlias(e.on, `${cap(count)}${where}${first.length > 0 ? `, the first ${first.join(', ')}` : ''}`);
    }
    case 'body':
      return withAlias(e.on, `The body of the response ${leg(e.from, e.to, e.seenBy)} says “${f(e.includes)}”`);
    case 'same-head':
      return withAlias(e.on, `The ${e.event} ${partyName(e.from)} sent is the one ${partyName(e.to)} received: nothing else stood between them`);
    case 'tunnel':
      return withAlias(e.on, `The forward proxy is asked: CONNECT ${f(e.target)}`);
    case 'tls-hello':
      return withAlias(e.on, `The forward proxy reads a TLS ClientHello${e.serverName === undefined ? '' : ` for ${f(e.serverName)}`}${e.alpn === undefined ? '' : `, offering ${e.alpn}`} — and nothing after it`);
    case 'close-frame':
      return withAlias(e.on, `A close frame from ${partyName(e.from)}: ${e.code}${e.reason === undefined ? '' : ` “${e.reason}”`}`);
    case 'hop-error':
      return withAlias(e.on, `${cap(partyName(e.from))} → ${partyName(e.to)}: ${e.code}`);
    case 'negotiated': {
      const parts = [e.protocol === undefined ? '' : `WebSocket.protocol “${e.protocol}”`, e.extensions === undefined ? '' : `WebSocket.extensions “${e.extensions}”`];
      return withAlias(e.on, parts.filter(Boolean).join(', '));
    }
    case 'browser-refused':
      return `The browser refuses with ${e.error}, and sends nothing`;
    case 'same-at-echo':
      return `The echo server receives the same request for ${e.left} and ${e.right}, but for the new Sec-WebSocket-Key`;
    case 'chromium':
      return withAlias(e.on, `Chromium's console: “WebSocket connection to '…' failed: ${e.says}”`);
    default:
      return assertNever(e, 'expectation');
  }
}

/** One pointer as a phrase, for the player's "Look at" buttons. */
export function describePointer(p: Pointer): string {
  switch (p.at) {
    case 'hop':
      return withAlias(p.on, `the ${p.event} arrow ${leg(p.from, p.to, p.seenBy)}`);
    case 'header':
      return withAlias(p.on, `${p.name} in the ${p.event} ${leg(p.from, p.to, p.seenBy)}`);
    case 'message':
      return withAlias(p.on, `the message ${p.direction}${p.text === undefined ? '' : ` “${p.text}”`}`);
    case 'finding':
      return withAlias(p.on, `the finding ${p.rule}`);
    case 'tab':
      return withAlias(p.on, `the ${cap(p.tab)} tab`);
    case 'accept':
      return withAlias(p.on, 'Sec-WebSocket-Accept, computed by hand');
    case 'config':
      return withAlias(p.on, 'the nginx location it went through');
    case 'compare':
      return `${p.left} and ${p.right} side by side`;
    default:
      return assertNever(p, 'pointer');
  }
}
