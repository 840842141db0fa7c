import type { Lesson } from '../types.ts';
import { UPGRADED } from './kit.ts';

export const http1VsHttp2: Lesson = {
  id: 'http1-vs-http2',
  question: 'what-is-upgrade',
  title: 'The same WebSocket over HTTP/1.1 and over HTTP/2',
  concept: 'Over HTTP/2 a WebSocket is an extended CONNECT stream (RFC 8441): no Upgrade, no Connection, no Sec-WebSocket-Key, no 101.',
  answer:
    'HTTP/2 cannot switch protocols: its connection carries many streams, and connection-specific fields (Connection, Upgrade) are forbidden ' +
    '(RFC 9113 §8.2.2). So when the server advertises SETTINGS_ENABLE_CONNECT_PROTOCOL, the browser opens the WebSocket as one stream of the ' +
    "page's connection: HEADERS with :method CONNECT and :protocol websocket, answered :status 200, then frames in DATA. The key and accept " +
    'exist to prove an HTTP/1.1 server understood the upgrade; over HTTP/2 the setting does that, so they are gone (RFC 8441 §4–5).',
  shows: 'One WebSocket with the HTTP/1.1 upgrade and one as an extended CONNECT on the page\'s HTTP/2 connection, compared field by field.',
  minutes: 4,
  needs: ['tls', 'http2'],
  steps: [
    {
      id: 'h1',
      title: 'HTTP/1.1: Upgrade, key, 101',
      say:
        'This page came over HTTP/2 from the lab\'s HTTP/2 port. First a WebSocket to the echo server\'s TLS port, on a connection of its own: the ' +
        'HTTP/1.1 handshake you know — GET with Upgrade: websocket, Connection: Upgrade and a fresh Sec-WebSocket-Key, answered 101.',
      refs: ['RFC 6455 §4.1', 'RFC 6455 §4.2.2'],
      do: [{ do: 'choose', route: 'direct+wss' }, { do: 'connect', as: 'h1' }],
      point: [{ at: 'header', name: 'Sec-WebSocket-Key', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo' }],
      expect: [
        UPGRADED,
        { kind: 'http-version', from: 'browser', to: 'echo', seenBy: 'echo', version: '1.1' },
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: true, value: 'websocket' },
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Sec-WebSocket-Key', present: true },
      ],
    },
    {
      id: 'h2',
      title: 'HTTP/2: an extended CONNECT stream',
      say:
        'Now the same URL on the page\'s own origin. The server advertised SETTINGS_ENABLE_CONNECT_PROTOCOL, so Chromium opens no new connection: ' +
        'a HEADERS frame on a new stream — :method CONNECT, :protocol websocket, :scheme, :path, :authority first, then the fields. No Upgrade, no ' +
        'Connection (RFC 9113 §8.2.2 forbids them), no Sec-WebSocket-Key, and :status 200 instead of 101.',
      refs: ['RFC 8441 §4', 'RFC 8441 §5', 'RFC 9113 §8.2.2', 'RFC 9113 §8.3'],
      do: [{ do: 'choose', route: 'direct+h2' }, { do: 'connect', as: 'h2' }],
      point: [{ at: 'header', name: ':protocol', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo' }],
      expect: [
        { kind: 'opened', opened: true },
        { kind: 'http-version', from: 'browser', to: 'echo', seenBy: 'echo', version: '2' },
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: ':protocol', present: true, value: 'websocket' },
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Sec-WebSocket-Key', present: false },
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: false },
        { kind: 'status', status: 200, from: 'echo', to: 'browser' },
      ],
    },
    {
      id: 'frames',
      title: 'The same frames, in DATA',
      say:
        'After the 200 the stream carries WebSocket frames exactly as a TCP connection would — masked from the browser, unmasked back — inside ' +
        'HTTP/2 DATA frames. The lab reads them with the same decoder. DevTools, for its part, still shows an HTTP/1.1-style request with Upgrade ' +
        'and Connection for this socket: those never crossed the wire.',
      refs: ['RFC 8441 §5', 'RFC 6455 §5.2'],
      do: [{ do: 'send', text: 'one stream among many', on: 'h2' }],
      point: [{ at: 'message', on: 'h2', direction: 'sent', text: 'one stream among many' }],
      expect: [{ kind: 'frames', on: 'h2', from: 'browser', to: 'echo', seenBy: 'echo', opcode: 1, text: 'one stream among many', masked: true }],
    },
    {
      id: 'without',
      title: 'Without the setting, or behind nginx 1.22',
      say:
        'A server without SETTINGS_ENABLE_CONNECT_PROTOCOL gets the HTTP/1.1 handshake on a new connection: open the page from the lab\'s ' +
        '--h2-no-connect-port and connect the same way to see a GET with Upgrade and a key. nginx 1.22 does not advertise the setting and speaks ' +
        'HTTP/1.1 upstream: behind it every WebSocket is the first kind.',
      refs: ['RFC 8441 §3', 'nginx docs: WebSocket proxying'],
      point: [{ at: 'compare', left: 'h1', right: 'h2' }],
    },
    {
      id: 'close',
      title: 'Close both',
      say: 'A close frame ends each: over HTTP/2 the stream then ends, and the connection — the page\'s own — stays.',
      do: [{ do: 'close', code: 1000, reason: 'done', on: 'h1' }, { do: 'close', code: 1000, reason: 'done', on: 'h2' }],
      expect: [{ kind: 'close', on: 'h1', code: 1000, reason: 'done', wasClean: true }, { kind: 'close', on: 'h2', code: 1000, reason: 'done', wasClean: true }],
    },
  ],
};
