import type { Lesson } from '../types.ts';
import { FAILED, handshakeError, via } from './kit.ts';

const NEVER_OPENED = { kind: 'opened', opened: false } as const;

export const handshakeFaults: Lesson = {
  id: 'handshake-faults',
  question: 'handshake-error',
  title: 'A 101 the browser must refuse',
  concept: 'The browser checks the server\'s answer; one wrong detail and it fails the connection before open, telling the page only 1006.',
  answer:
    '“Error during WebSocket handshake” means the browser read the server\'s response and it broke a rule of RFC 6455 §4.1: a status other ' +
    'than 101, no Upgrade: websocket, a wrong Sec-WebSocket-Accept, an extension or subprotocol it never offered. The page only gets 1006; ' +
    'the console line says which rule.',
  shows: 'Three broken 101s — wrong Accept, no Upgrade, 200 OK — and Chromium\'s own reason for each.',
  minutes: 3,
  steps: [
    {
      id: 'wrong-accept',
      title: 'Sec-WebSocket-Accept from another key',
      say: 'fault=wrong-accept: the 101 carries an Accept computed from a different key. Chromium recomputes it from the key it sent, sees the mismatch and fails the connection.',
      refs: ['RFC 6455 §4.1 (the client\'s check 4)', 'RFC 6455 §4.2.2'],
      do: via('direct', 'wrong-accept', { fault: 'wrong-accept' }),
      point: [{ at: 'accept' }],
      expect: [
        NEVER_OPENED,
        FAILED,
        { kind: 'finding', rule: 'accept-mismatch', present: true, says: 'so the handshake failed and the browser reports 1006.' },
        handshakeError("Incorrect 'Sec-WebSocket-Accept' header value"),
      ],
    },
    {
      id: 'missing-upgrade',
      title: 'A 101 without Upgrade: websocket',
      say: 'fault=missing-upgrade: 101 Switching Protocols, but no Upgrade header saying to what. The Accept value is right; the missing header alone fails it.',
      refs: ['RFC 6455 §4.1 (the client\'s check 2)'],
      do: via('direct', 'missing-upgrade', { fault: 'missing-upgrade' }),
      point: [{ at: 'hop', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo' }],
      expect: [
        { kind: 'status', status: 101 },
        { kind: 'header', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo', name: 'Upgrade', present: false },
        { kind: 'header', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo', name: 'Sec-WebSocket-Accept', present: true, value: '{accept}' },
        {
          kind: 'finding',
          rule: '101-without-upgrade',
          present: true,
          says: 'The echo server answered 101 Switching Protocols with no Upgrade header instead of Upgrade: websocket, so the handshake failed and the browser reports 1006.',
        },
        FAILED,
        handshakeError("'Upgrade' header is missing"),
      ],
    },
    {
      id: 'status-200',
      title: '200 OK: the server never switched',
      say: 'fault=status-200: an ordinary page instead of 101. Anything but 101 means the server did not switch protocols, whatever the body says.',
      refs: ['RFC 6455 §4.1 (the client\'s check 1)'],
      do: via('direct', 'status-200', { fault: 'status-200' }),
      point: [{ at: 'hop', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo' }],
      expect: [
        { kind: 'status', status: 200 },
        { kind: 'body', from: 'echo', to: 'browser', seenBy: 'echo', includes: 'this is not a WebSocket endpoint' },
        {
          kind: 'finding',
          rule: 'status-not-101',
          present: true,
          says: 'The echo server answered 200 OK instead of 101 Switching Protocols, so the handshake failed and the browser reports 1006.',
        },
        FAILED,
        handshakeError('Unexpected response code: 200'),
      ],
    },
  ],
};

const OFFER = 'chat.v2, chat.v1';
const NONE_SELECTED = "Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received";

export const subprotocols: Lesson = {
  id: 'subprotocols',
  question: 'handshake-error',
  title: 'Subprotocols: who picks, and what breaks',
  concept: 'The client offers subprotocols in order, the server picks one it speaks, and the browser holds it to the offer.',
  answer:
    'new WebSocket(url, protocols) sends Sec-WebSocket-Protocol in the page\'s order; the server picks the first it speaks and names it in ' +
    'the 101. If the server names none (or one never offered) while the page offered some, the browser fails the handshake: 1006.',
  shows: 'The server following the client\'s order, a 101 that selects nothing, and one that selects what was never offered.',
  minutes: 4,
  steps: [
    {
      id: 'v2-first',
      title: 'Offered chat.v2, chat.v1: chat.v2',
      say: 'The page offers chat.v2 then chat.v1; the echo server speaks both (protocols=) and picks by the client\'s order. The page reads the choice as WebSocket.protocol.',
      refs: ['RFC 6455 §1.9', 'RFC 6455 §4.2.2'],
      do: via('direct', 'v2-first', { subprotocols: OFFER }),
      point: [{ at: 'header', name: 'Sec-WebSocket-Protocol', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo' }],
      expect: [
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Sec-WebSocket-Protocol', present: true, value: OFFER },
        { kind: 'header', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo', name: 'Sec-WebSocket-Protocol', present: true, value: 'chat.v2' },
        { kind: 'negotiated', protocol: 'chat.v2' },
      ],
    },
    {
      id: 'v1-first',
      title: 'Offered the other way round: chat.v1',
      say: 'Same server, the page\'s order reversed: now chat.v1 wins. The client\'s preference decides, not the server\'s list.',
      do: [{ do: 'close', code: 1000, reason: 'done', on: 'v2-first' }, ...via('direct', 'v1-first', { subprotocols: 'chat.v1, chat.v2' })],
      point: [{ at: 'header', name: 'Sec-WebSocket-Protocol', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo' }],
      expect: [
        { kind: 'close', on: 'v2-first', code: 1000, reason: 'done', wasClean: true },
        { kind: 'header', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo', name: 'Sec-WebSocket-Protocol', present: true, value: 'chat.v1' },
        { kind: 'negotiated', protocol: 'chat.v1' },
      ],
    },
    {
      id: 'none-selected',
      title: 'The server speaks none of them',
      say: 'Without protocols= the echo server speaks no subprotocol, and its 101 selects none. RFC 6455 allows that; browsers do not, and fail the handshake.',
      refs: ['RFC 6455 §4.1 (the client\'s check 6)', 'WHATWG WebSockets'],
      do: [{ do: 'close', code: 1000, reason: 'done', on: 'v1-first' }, ...via('direct', 'none-selected', { subprotocols: OFFER, serverAcceptsProtocols: false })],
      point: [{ at: 'finding', rule: 'protocol-none-selected' }],
      expect: [
        { kind: 'close', on: 'v1-first', code: 1000, reason: 'done', wasClean: true },
        {
          kind: 'finding',
          rule: 'protocol-none-selected',
          present: true,
          says: "The client offered subprotocols chat.v2, chat.v1, but the echo server's 101 selected none; browsers fail such a handshake and the browser reports 1006.",
        },
        FAILED,
        handshakeError(NONE_SELECTED),
      ],
    },
    {
      id: 'not-offered',
      title: 'A subprotocol the page never offered',
      say: 'fault=protocol-not-offered: the 101 selects not-offered. The browser holds the server to its offer and fails the handshake.',
      refs: ['RFC 6455 §4.1 (the client\'s check 6)'],
      do: via('direct', 'not-offered', { subprotocols: OFFER, fault: 'protocol-not-offered' }),
      point: [{ at: 'header', name: 'Sec-WebSocket-Protocol', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo' }],
      expect: [
        {
          kind: 'finding',
          rule: 'protocol-not-offered',
          present: true,
          says: 'The echo server selected subprotocol "not-offered", which the client never offered (it offered chat.v2, chat.v1), so the handshake failed and the browser reports 1006.',
        },
        FAILED,
        handshakeError("'Sec-WebSocket-Protocol' header value 'not-offered' in response does not match any of sent values"),
      ],
    },
    {
      id: 'nothing-offered',
      title: 'A subprotocol when none was offered',
      say: 'The same fault with no subprotocols offered at all: still refused, and Chromium words it differently.',
      do: via('direct', 'nothing-offered', { subprotocols: '', fault: 'protocol-not-offered' }),
      expect: [
        { kind: 'finding', rule: 'protocol-not-offered', present: true, says: 'which the client never offered (it offered none)' },
        FAILED,
        handshakeError("Response must not include 'Sec-WebSocket-Protocol' header if not present in request: not-offered"),
      ],
    },
    {
      id: 'no-protocol',
      title: 'Accepted, but left out of the 101',
      say: 'fault=no-protocol: the server speaks the offered subprotocols but its 101 leaves Sec-WebSocket-Protocol out — a bug in a server\'s handshake code. Same failure as selecting none.',
      do: via('direct', 'no-protocol', { subprotocols: OFFER, serverAcceptsProtocols: true, fault: 'no-protocol' }),
      expect: [
        { kind: 'header', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo', name: 'Sec-WebSocket-Protocol', present: false },
        { kind: 'finding', rule: 'protocol-none-selected', present: true },
        FAILED,
        handshakeError(NONE_SELECTED),
      ],
    },
  ],
};

