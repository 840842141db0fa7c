import type { Lesson } from '../types.ts';
import { closedCleanly, FAILED, handshakeError, UPGRADED, via } from './kit.ts';

export const directConnection: Lesson = {
  id: 'direct-connection',
  question: 'what-is-upgrade',
  title: 'A WebSocket, straight to the server',
  concept: 'An HTTP/1.1 GET that asks to upgrade, a 101, then frames: masked from the browser, never from the server.',
  answer:
    'The browser sends an ordinary GET with Upgrade: websocket and Connection: Upgrade; the server answers 101 Switching Protocols, ' +
    'and from then on the same TCP connection carries WebSocket frames both ways until a closing handshake (or a cut) ends it.',
  shows: 'The handshake on the wire, a message echoed, a clean close 4000, a server close 4001 and a terminate (1006).',
  minutes: 4,
  steps: [
    {
      id: 'choose-direct',
      title: 'Choose the direct route',
      say: 'No proxy: the browser talks straight to the echo server. Look at the URL Connect will open: ws://, the echo server\'s port, and lab= and conn= so every hop files what it sees under this connection.',
      do: [{ do: 'choose', route: 'direct' }],
    },
    {
      id: 'upgrade',
      title: 'Connect: GET, then 101',
      say:
        'The page calls new WebSocket(url). Chromium sends GET with Upgrade: websocket, Connection: Upgrade, a fresh Sec-WebSocket-Key and ' +
        'Sec-WebSocket-Version: 13. The echo server answers 101 Switching Protocols: from here on the connection speaks frames, not HTTP.',
      refs: ['RFC 6455 §1.3', 'RFC 6455 §4.1', 'RFC 6455 §4.2.2'],
      do: [{ do: 'connect', as: 'hello' }],
      point: [
        { at: 'hop', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo' },
        { at: 'header', name: 'Upgrade', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo' },
      ],
      expect: [
        UPGRADED,
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: true, value: 'websocket' },
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Connection', present: true, includes: 'upgrade' },
        { kind: 'http-version', from: 'browser', to: 'echo', seenBy: 'echo', version: '1.1' },
        { kind: 'opened', opened: true },
      ],
    },
    {
      id: 'echo',
      title: 'Say your name, hear it back',
      say:
        'A text frame from the page, echoed. Every frame a client sends is masked with a fresh 4-byte key, so a cache or proxy that does ' +
        'not speak WebSocket cannot be tricked by its bytes; frames from a server are never masked.',
      refs: ['RFC 6455 §5.1', 'RFC 6455 §5.3', 'RFC 6455 §10.3'],
      do: [{ do: 'send', text: 'My name is LiuYue' }],
      point: [
        { at: 'message', direction: 'sent', text: 'My name is LiuYue' },
        { at: 'message', direction: 'received', text: 'My name is LiuYue' },
      ],
      expect: [
        { kind: 'frames', from: 'browser', to: 'echo', seenBy: 'echo', opcode: 1, count: 1, text: 'My name is LiuYue', masked: true },
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'echo', opcode: 1, count: 1, text: 'My name is LiuYue', masked: false },
      ],
    },
    {
      id: 'close-4000',
      title: 'Close from the page: 4000 “done”',
      say:
        'close(4000, "done") sends a close frame; the server answers with its own, and only then is the TCP connection closed. Both close ' +
        'frames seen, so the CloseEvent says wasClean true. 4000–4999 are for private use.',
      refs: ['RFC 6455 §5.5.1', 'RFC 6455 §7.1.2', 'RFC 6455 §7.4.2'],
      do: [{ do: 'close', code: 4000, reason: 'done' }],
      point: [{ at: 'tab', tab: 'close' }],
      expect: [
        closedCleanly(4000, 'done'),
        { kind: 'close-frame', from: 'browser', code: 4000, reason: 'done' },
        { kind: 'close-frame', from: 'echo', code: 4000, reason: 'done' },
      ],
    },
    {
      id: 'server-close',
      title: 'The server closes: 4001',
      say: 'A new connection, and this time the echo server starts the closing handshake. The browser answers its close frame, and the page reads the server\'s code and reason.',
      refs: ['RFC 6455 §7.1.2', 'RFC 6455 §7.1.5'],
      do: [{ do: 'connect', as: 'closed-by-server' }, { do: 'server', action: { action: 'close', code: 4001, reason: 'from the server' } }],
      point: [{ at: 'tab', tab: 'close' }],
      expect: [closedCleanly(4001, 'from the server'), { kind: 'close-frame', from: 'echo', code: 4001, reason: 'from the server' }],
    },
    {
      id: 'terminate',
      title: 'Terminate: no close frame at all',
      say:
        'Now the server drops TCP without a close frame. No closing handshake happened, so the page gets 1006 (abnormal closure) and ' +
        'wasClean false: 1006 is never sent, it is what a browser reports when there was nothing to read.',
      refs: ['RFC 6455 §7.1.5', 'RFC 6455 §7.4.1'],
      do: [{ do: 'connect', as: 'terminated' }, { do: 'server', action: { action: 'terminate' } }],
      point: [{ at: 'finding', rule: 'tcp-close-without-close-frame' }],
      expect: [FAILED, { kind: 'frames', opcode: 8, count: 0 }],
    },
  ],
};

export const acceptByHandLesson: Lesson = {
  id: 'accept-by-hand',
  question: 'what-is-upgrade',
  title: 'The 101 and Sec-WebSocket-Accept, by hand',
  concept: 'The server proves it read this handshake: base64(SHA-1(key + GUID)).',
  answer:
    'Sec-WebSocket-Accept is the SHA-1 of the browser\'s Sec-WebSocket-Key followed by the fixed GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11, ' +
    'in base64. A server (or a proxy) that answers 101 without computing it from this very key gets the connection failed by the browser.',
  shows: 'The key Chromium sent, each step of the computation, the value the echo server sent, and what happens when it is wrong.',
  minutes: 3,
  steps: [
    {
      id: 'the-key',
      title: 'The key: 16 random bytes',
      say: 'Connect directly. Chromium puts 16 random bytes, base64-encoded, in Sec-WebSocket-Key: a new key for every connection, so an old answer cannot be replayed.',
      refs: ['RFC 6455 §4.1', 'RFC 6455 §10.3'],
      do: via('direct', 'hello'),
      point: [{ at: 'header', name: 'Sec-WebSocket-Key', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo' }],
      expect: [UPGRADED, { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Sec-WebSocket-Key', present: true }],
    },
    {
      id: 'by-hand',
      title: 'Key + GUID → SHA-1 → base64',
      say:
        'The server appends the GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11 to the key as text, hashes the ASCII bytes with SHA-1 (20 bytes), ' +
        'and sends those 20 bytes in base64 as Sec-WebSocket-Accept. The player does the same with this connection\'s key: compare the last line with the 101.',
      refs: ['RFC 6455 §1.3', 'RFC 6455 §4.2.2', 'FIPS 180-4', 'RFC 4648 §4'],
      point: [{ at: 'accept' }],
      expect: [{ kind: 'header', event: 'response', from: 'echo', to: 'browser', seenBy: 'echo', name: 'Sec-WebSocket-Accept', present: true, value: '{accept}' }],
    },
    {
      id: 'wrong-accept',
      title: 'A wrong Accept: the browser refuses',
      say:
        'fault=wrong-accept makes the echo server hash another key. Its 101 looks fine, but Chromium checks the value, fails the connection ' +
        'before the page\'s open event, and tells the page only 1006; the reason is on the console.',
      refs: ['RFC 6455 §4.1 (the client\'s check 4)'],
      do: via('direct', 'wrong', { fault: 'wrong-accept' }),
      point: [{ at: 'accept' }],
      expect: [
        { kind: 'status', status: 101 },
        { kind: 'opened', opened: false },
        FAILED,
        { kind: 'finding', rule: 'accept-mismatch', present: true, says: "The echo server's 101 carried Sec-WebSocket-Accept" },
        handshakeError("Incorrect 'Sec-WebSocket-Accept' header value"),
      ],
    },
  ],
};
