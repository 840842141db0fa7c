import type { Expectation, Lesson } from '../types.ts';
import { FAILED, handshakeError, via } from './kit.ts';

const OPENED = { kind: 'opened', opened: true } as const;
/** Chromium drops TCP right after its close frame: whether the echo server then sees a reset is timing, never a finding. */
const NO_RESET = { kind: 'finding', rule: 'socket-error', present: false } as const;
const chromium = (says: string): Expectation => ({ kind: 'chromium', says });

/** Chromium's close frame on failing the connection, and the echo server's answer to it. */
const closeFrames = (code: number, reason: string): Expectation[] => [
  { kind: 'close-frame', from: 'browser', code, reason },
  { kind: 'close-frame', from: 'echo', code, reason },
];

const FAILS_AFTER_OPEN =
  'the browser fails the connection: it sends a close frame of its own (1002, with its reason), drops TCP without waiting, and tells the page 1006';

export const frameFaults: Lesson = {
  id: 'frame-faults',
  question: 'closed-1006',
  title: 'Frames a server must never send',
  concept: 'After open, one frame that breaks RFC 6455 makes the browser fail the connection: the page sees 1006, the wire shows 1002.',
  answer:
    'If a connection opens and then closes with 1006, the server may have sent a frame the browser must reject: masked, a reserved bit set, ' +
    `invalid UTF-8 in text, an oversized control frame. Then ${FAILS_AFTER_OPEN}. Or the server simply closed TCP without a close frame.`,
  shows: 'Five broken frames, Chromium\'s close frame and console reason for each, and what a page is told (1006).',
  minutes: 5,
  steps: [
    {
      id: 'masked-frame',
      title: 'A masked frame from the server',
      say: `The handshake succeeds and the page sees open. Then the echo server sends a masked frame — only clients mask — and ${FAILS_AFTER_OPEN}.`,
      refs: ['RFC 6455 §5.1', 'RFC 6455 §7.1.7'],
      do: via('direct', 'masked', { fault: 'masked-frame' }),
      point: [{ at: 'message', direction: 'received', text: 'masked by the server' }],
      expect: [
        OPENED,
        FAILED,
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 1, text: 'masked by the server', masked: true },
        ...closeFrames(1002, 'Masked frame from server'),
        {
          kind: 'finding',
          rule: 'server-masked-frame',
          present: true,
          says: 'The echo server sent a masked text frame (mask key 01020304); servers must not mask, so the client failed the connection and the browser reports 1006.',
        },
        NO_RESET,
        chromium('A server must not mask any frames that it sends to the client.'),
      ],
    },
    {
      id: 'rsv1',
      title: 'RSV1 without a negotiated extension',
      say: 'RSV1 means “compressed” only if permessage-deflate was agreed in the handshake. Here nothing was agreed, so the bit is a protocol error.',
      refs: ['RFC 6455 §5.2', 'RFC 7692 §6'],
      do: via('direct', 'rsv1', { fault: 'rsv1-without-extension' }),
      point: [{ at: 'message', direction: 'received', opcode: 1 }],
      expect: [
        OPENED,
        FAILED,
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 1, rsv1: true },
        ...closeFrames(1002, 'Invalid reserved bit'),
        { kind: 'finding', rule: 'rsv-without-extension', present: true, says: 'The echo server sent a text frame with RSV1 set although no extension was negotiated, so the client failed the connection and the browser reports 1006.' },
        NO_RESET,
        chromium('One or more reserved bits are on: reserved1 = 1, reserved2 = 0, reserved3 = 0'),
      ],
    },
    {
      id: 'invalid-utf8',
      title: 'Invalid UTF-8 in a text message',
      say: 'A text message must be UTF-8. These bytes (48 69 ff fe) are not, so the browser fails the connection. RFC 6455 names 1007 for this; Chromium sends 1002.',
      refs: ['RFC 6455 §8.1', 'RFC 6455 §7.4.1'],
      do: via('direct', 'utf8', { fault: 'invalid-utf8' }),
      point: [{ at: 'message', direction: 'received', opcode: 1 }],
      expect: [
        OPENED,
        FAILED,
        ...closeFrames(1002, 'Invalid UTF-8 in text frame'),
        { kind: 'finding', rule: 'server-invalid-utf8', present: true, says: 'The echo server sent a text message that is not valid UTF-8, so the client failed the connection and the browser reports 1006.' },
        NO_RESET,
        chromium('Could not decode a text frame as UTF-8.'),
      ],
    },
    {
      id: 'control-too-long',
      title: 'A ping of 126 bytes',
      say: 'Control frames (close, ping, pong) carry at most 125 bytes, so they always fit one frame. A 126-byte ping is a protocol error.',
      refs: ['RFC 6455 §5.5'],
      do: via('direct', 'long-ping', { fault: 'control-too-long' }),
      point: [{ at: 'message', direction: 'received', opcode: 9 }],
      expect: [
        OPENED,
        FAILED,
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 9, count: 1 },
        ...closeFrames(1002, 'WebSocket Protocol Error'),
        { kind: 'finding', rule: 'server-control-frame-too-long', present: true, says: 'The echo server sent a ping frame carrying 126 bytes, more than the 125 a control frame may hold, so the client failed the connection and the browser reports 1006.' },
        NO_RESET,
        chromium('Invalid frame header'),
      ],
    },
    {
      id: 'close-without-frame',
      title: 'TCP closed without a close frame',
      say: 'Not a protocol error, just no closing handshake: the server drops TCP. Chromium prints nothing and fires no error, but the page still gets 1006, wasClean false.',
      refs: ['RFC 6455 §7.1.1', 'RFC 6455 §7.1.5'],
      do: via('direct', 'dropped', { fault: 'close-without-frame' }),
      point: [{ at: 'tab', tab: 'close' }, { at: 'finding', rule: 'tcp-close-without-close-frame' }],
      expect: [
        OPENED,
        FAILED,
        { kind: 'frames', opcode: 8, count: 0 },
        { kind: 'finding', rule: 'tcp-close-without-close-frame', present: true, says: 'The echo server closed the TCP connection without sending a close frame, so the browser reports 1006 with wasClean false.' },
      ],
    },
  ],
};

export const reservedFaults: Lesson = {
  id: 'reserved-faults',
  question: 'closed-1006',
  title: 'What RFC 6455 keeps for later, sent anyway',
  concept: 'Reserved opcodes, bits, close codes and extensions are not for servers to invent: the browser fails the connection on each.',
  answer:
    'A server that sends an extension the browser never offered, a reserved opcode, a close code reserved for local use (1005), a ' +
    'fragmented control frame or RSV2 gets the connection failed, and the page sees 1006. The console says which rule it broke.',
  shows: 'Five reserved things a server sent, Chromium\'s reason for each, and the lab saying the same thing.',
  minutes: 4,
  steps: [
    {
      id: 'unknown-extension',
      title: 'An extension the browser never offered',
      say: 'The 101 agrees to x-webkit-deflate-frame; Chromium offered only permessage-deflate. A server may only accept what was offered, so the handshake fails: no open, no frames.',
      refs: ['RFC 6455 §4.1 (the client\'s check 5)', 'RFC 6455 §9.1'],
      do: via('direct', 'extension', { fault: 'unknown-extension' }),
      point: [{ at: 'header', name: 'Sec-WebSocket-Extensions', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo' }],
      expect: [
        { kind: 'opened', opened: false },
        FAILED,
        { kind: 'frames', count: 0 },
        {
          kind: 'finding',
          rule: 'unsupported-extension',
          present: true,
          says: "The echo server's 101 agreed to the extension x-webkit-deflate-frame, which the browser never offered (it offered permessage-deflate), so the handshake failed and the browser reports 1006.",
        },
        handshakeError("Found an unsupported extension 'x-webkit-deflate-frame' in 'Sec-WebSocket-Extensions' header"),
      ],
    },
    {
      id: 'reserved-opcode',
      title: 'Opcode 3: reserved',
      say: 'Opcodes 3–7 are reserved for future data frames. The page never sees the message: the browser fails the connection first.',
      refs: ['RFC 6455 §5.2', 'RFC 6455 §11.8'],
      do: via('direct', 'opcode-3', { fault: 'reserved-opcode' }),
      point: [{ at: 'message', direction: 'received', opcode: 3 }],
      expect: [
        OPENED,
        FAILED,
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 3, text: 'opcode 3', fin: true },
        { kind: 'close-frame', from: 'browser', code: 1002, reason: 'Unknown opcode' },
        { kind: 'finding', rule: 'reserved-opcode', present: true, says: 'The echo server sent a frame with opcode 3 (0x3), which is reserved, so the client failed the connection and the browser reports 1006.' },
        chromium('Unrecognized frame opcode: 3'),
      ],
    },
    {
      id: 'close-1005',
      title: 'Close code 1005 on the wire',
      say: '1005 means “no status code was present”: an endpoint reports it locally and must never send it. The code on the wire never reaches a page that failed: it is told 1006.',
      refs: ['RFC 6455 §7.4.1'],
      do: via('direct', 'close-1005', { fault: 'close-1005' }),
      point: [{ at: 'tab', tab: 'close' }],
      expect: [
        OPENED,
        FAILED,
        { kind: 'close-frame', from: 'echo', code: 1005, reason: '' },
        { kind: 'close-frame', from: 'browser', code: 1002, reason: '' },
        { kind: 'finding', rule: 'reserved-close-code', present: true, says: 'The echo server sent a close frame with code 1005, which may never be sent on the wire, so the client failed the connection and the browser reports 1006.' },
        chromium('Received a broken close frame containing a reserved status code.'),
      ],
    },
    {
      id: 'fragmented-ping',
      title: 'A fragmented ping',
      say: 'A ping with FIN clear: control frames must not be fragmented, so they can be sent in the middle of a fragmented message.',
      refs: ['RFC 6455 §5.4', 'RFC 6455 §5.5'],
      do: via('direct', 'half-ping', { fault: 'fragmented-ping' }),
      point: [{ at: 'message', direction: 'received', opcode: 9 }],
      expect: [
        OPENED,
        FAILED,
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 9, fin: false },
        { kind: 'close-frame', from: 'browser', code: 1002, reason: 'WebSocket Protocol Error' },
        { kind: 'finding', rule: 'fragmented-control-frame', present: true, says: 'The echo server sent a ping frame with FIN clear, a fragmented control frame, so the client failed the connection and the browser reports 1006.' },
        chromium('Invalid frame header'),
      ],
    },
    {
      id: 'rsv2',
      title: 'RSV2 set',
      say: 'No extension defines RSV2, let alone a negotiated one.',
      refs: ['RFC 6455 §5.2'],
      do: via('direct', 'rsv2', { fault: 'rsv2-set' }),
      point: [{ at: 'message', direction: 'received', opcode: 1 }],
      expect: [
        OPENED,
        FAILED,
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 1, rsv1: false, rsv2: true },
        { kind: 'close-frame', from: 'browser', code: 1002, reason: 'Invalid reserved bit' },
        { kind: 'finding', rule: 'rsv-without-extension', present: true, says: 'The echo server sent a text frame with RSV2 set although no extension was negotiated, so the client failed the connection and the browser reports 1006.' },
        chromium('One or more reserved bits are on: reserved1 = 0, reserved2 = 1, reserved3 = 0'),
      ],
    },
  ],
};
