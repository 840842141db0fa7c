import type { Lesson, Step } from '../types.ts';
import { closedCleanly, via } from './kit.ts';

const COMPRESSIBLE = 'compress me, compress me, compress me, compress me';
const REPEATED = 'The quick brown fox jumps over the lazy dog while the WebSocket keeps its window.';

export const permessageDeflate: Lesson = {
  id: 'permessage-deflate',
  question: 'compression',
  title: 'permessage-deflate: compressed on the wire, never in the page',
  concept: 'Compression is agreed in the handshake and marked per message by RSV1; the page never notices.',
  answer:
    'Chromium always offers permessage-deflate; it is on only if the server\'s 101 accepts it (Sec-WebSocket-Extensions). Then each ' +
    'message travels compressed with RSV1 set on its first frame, and the page receives plain text: WebSocket.extensions is the only sign.',
  shows: 'The offer and the answer, RSV1 and the compressed bytes beside the text they inflate to, and context takeover shrinking a repeat.',
  minutes: 4,
  steps: [
    {
      id: 'off',
      title: 'Off by default: offered, not agreed',
      say: 'Chromium offers permessage-deflate; without deflate=on the echo server\'s 101 agrees to nothing. Every frame travels as is, RSV1 0.',
      refs: ['RFC 7692 §5', 'RFC 6455 §9.1'],
      do: [...via('direct', 'plain', { deflate: false }), { do: 'send', text: 'plain as it is' }],
      point: [{ at: 'message', direction: 'received', text: 'plain as it is' }],
      expect: [
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Sec-WebSocket-Extensions', present: true, includes: 'permessage-deflate' },
        { kind: 'header', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo', name: 'Sec-WebSocket-Extensions', present: false },
        { kind: 'negotiated', extensions: '' },
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 1, text: 'plain as it is', rsv1: false },
      ],
    },
    {
      id: 'agreed',
      title: 'deflate=on: agreed in the 101',
      say: 'With deflate=on the echo server answers Sec-WebSocket-Extensions: permessage-deflate, no parameters: both sides keep their compression context from message to message (context takeover).',
      refs: ['RFC 7692 §5', 'RFC 7692 §7.1'],
      do: via('direct', 'deflate', { deflate: true }),
      point: [{ at: 'header', name: 'Sec-WebSocket-Extensions', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo' }],
      expect: [
        { kind: 'header', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo', name: 'Sec-WebSocket-Extensions', present: true, value: 'permessage-deflate' },
        { kind: 'negotiated', extensions: 'permessage-deflate' },
      ],
    },
    {
      id: 'compressed',
      title: 'RSV1 set, fewer bytes, the same text',
      say: 'A repetitive message: on the wire each direction carries far fewer bytes than the text, RSV1 set. The page sent and received the plain text; the lab inflates the bytes to show it.',
      refs: ['RFC 7692 §6', 'RFC 1951'],
      do: [{ do: 'send', text: COMPRESSIBLE }],
      point: [{ at: 'message', direction: 'received', text: COMPRESSIBLE }],
      expect: [
        { kind: 'frames', from: 'browser', to: 'echo', seenBy: 'echo', opcode: 1, count: 1, text: COMPRESSIBLE, rsv1: true },
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 1, count: 1, text: COMPRESSIBLE, rsv1: true },
      ],
    },
    {
      id: 'takeover',
      title: 'Context takeover: a repeat costs a few bytes',
      say: 'The same sentence three times. The first is compressed on its own; the next refer back to it in the window both sides kept, so they shrink to a few bytes.',
      refs: ['RFC 7692 §7.1.1'],
      do: [1, 2, 3].map(() => ({ do: 'send', text: REPEATED }) as const),
      point: [{ at: 'message', direction: 'received', text: REPEATED }],
      expect: [
        { kind: 'frames', from: 'browser', to: 'echo', seenBy: 'echo', opcode: 1, count: 4, rsv1: true },
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 1, count: 4, rsv1: true },
      ],
    },
    {
      id: 'close',
      title: 'Close',
      say: 'Control frames are never compressed: the close travels as is.',
      refs: ['RFC 7692 §6.1'],
      do: [{ do: 'close', code: 1000, reason: 'done' }],
      expect: [closedCleanly(1000, 'done')],
    },
  ],
};

const refused = (id: string, code: number, reason: string, title: string, say: string, error: 'InvalidAccessError' | 'SyntaxError'): Step => ({
  id,
  title,
  say,
  refs: ['WHATWG WebSockets: close()', 'RFC 6455 §7.4'],
  do: [{ do: 'close', code, reason }],
  expect: [{ kind: 'browser-refused', error }, { kind: 'still-open' }, { kind: 'frames', opcode: 8, count: 0 }],
});

export const clientCloseCodes: Lesson = {
  id: 'client-close-codes',
  question: 'close-codes',
  title: 'What a page may put in its close frame',
  concept: 'close(code, reason) takes 1000 or 3000–4999, and a reason of at most 123 bytes; anything else throws and sends nothing.',
  answer:
    'A page may close with 1000 or a code from 3000 to 4999, and a reason of up to 123 bytes of UTF-8. 1005 and 1006 are only ever reported, ' +
    'never sent; 1001–1015 belong to the endpoints. Anything else makes close() throw (InvalidAccessError or SyntaxError) and nothing reaches the wire.',
  shows: 'Each code and reason the browser refuses, the socket still open after each, and clean closes that travel.',
  minutes: 4,
  steps: [
    {
      id: 'open',
      title: 'A connection to close',
      say: 'Connect directly. Each of the next steps calls close(code, reason) on it, the way the composer does.',
      do: via('direct', 'page'),
      expect: [{ kind: 'opened', opened: true }],
    },
    refused('1005', 1005, 'bye', 'close(1005): never sent', '1005 means no status was received: a receiver reports it, nobody sends it. The browser throws InvalidAccessError and sends nothing.', 'InvalidAccessError'),
    refused('1006', 1006, 'bye', 'close(1006): never sent either', '1006 is what a browser reports when a connection ended without a close frame. It cannot be sent.', 'InvalidAccessError'),
    refused('999', 999, 'bye', 'close(999): not a close code', 'Below 1000 is not a close code at all.', 'InvalidAccessError'),
    refused('5000', 5000, 'bye', 'close(5000): not a close code', 'Above 4999 is not a close code either.', 'InvalidAccessError'),
    refused('reason-124', 4000, 'r'.repeat(124), 'A reason of 124 bytes', 'A control frame carries at most 125 bytes, two of them the code: 123 bytes of reason. 124 is a SyntaxError.', 'SyntaxError'),
    refused('reason-utf8', 4000, 'é'.repeat(62), '62 characters, 124 bytes', 'The limit is in bytes of UTF-8, not characters: 62 × é is 124 bytes.', 'SyntaxError'),
    {
      id: 'still-works',
      title: 'Still open, still working',
      say: 'None of those reached the wire: no close frame was sent, and the socket still echoes.',
      do: [{ do: 'send', text: 'still open' }],
      point: [{ at: 'message', direction: 'received', text: 'still open' }],
      expect: [{ kind: 'still-open' }, { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 1, text: 'still open' }, { kind: 'frames', opcode: 8, count: 0 }],
    },
    {
      id: 'reason-123',
      title: '123 bytes: allowed',
      say: 'Exactly 123 bytes of reason fits: the close travels and comes back.',
      do: [{ do: 'close', code: 4000, reason: 'r'.repeat(123) }],
      expect: [closedCleanly(4000, 'r'.repeat(123))],
    },
    {
      id: 'close-1000',
      title: 'close(1000, "done"): clean',
      say: 'A new connection, closed normally: the browser\'s close frame, masked, the echo server\'s answer, and wasClean true.',
      refs: ['RFC 6455 §7.1.2'],
      do: [{ do: 'connect', as: 'normal' }, { do: 'close', code: 1000, reason: 'done' }],
      point: [{ at: 'tab', tab: 'close' }],
      expect: [
        closedCleanly(1000, 'done'),
        { kind: 'close-frame', from: 'browser', code: 1000, reason: 'done' },
        { kind: 'close-frame', from: 'echo', code: 1000, reason: 'done' },
        { kind: 'frames', from: 'browser', to: 'echo', seenBy: 'echo', opcode: 8, masked: true },
      ],
    },
    {
      id: 'close-4000',
      title: 'close(4000, "game over"): yours to define',
      say: '4000–4999 are for private use: the application decides what they mean. It travels like 1000.',
      refs: ['RFC 6455 §7.4.2'],
      do: [{ do: 'connect', as: 'app-code' }, { do: 'close', code: 4000, reason: 'game over' }],
      point: [{ at: 'tab', tab: 'close' }],
      expect: [closedCleanly(4000, 'game over'), { kind: 'close-frame', from: 'browser', code: 4000, reason: 'game over' }, { kind: 'close-frame', from: 'echo', code: 4000, reason: 'game over' }],
    },
  ],
};
