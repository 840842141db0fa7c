import type { Lesson } from '../types.ts';
import { closedCleanly, UPGRADED } from './kit.ts';

export const forwardProxy: Lesson = {
  id: 'forward-proxy',
  question: 'connect-tunnel',
  title: 'A CONNECT tunnel: the WebSocket inside',
  concept: 'A forward proxy opens a TCP tunnel with CONNECT and relays bytes; with ws:// the handshake inside is readable, with wss:// it is not.',
  answer:
    'A browser set to use a proxy asks it CONNECT host:port; the proxy answers 200 and from then on relays bytes both ways without ' +
    'changing them. With ws:// the WebSocket handshake and frames travel in the clear inside that tunnel, so the proxy can read them; ' +
    'with wss:// the browser starts TLS inside it first, and the proxy sees only the server name and encrypted bytes.',
  shows: 'The CONNECT request, the handshake and frames read inside the tunnel, unchanged at the echo server.',
  minutes: 3,
  needs: ['browser-proxy'],
  steps: [
    {
      id: 'choose',
      title: 'The forward proxy, as the browser\'s proxy',
      say:
        'This route needs Chrome started with --proxy-server=http://127.0.0.1:{forwardProxy} --proxy-bypass-list="<-loopback>;127.0.0.1:{ui}": ' +
        'Chrome never proxies loopback unless told, and the lab\'s own page stays direct. The URL is the echo server\'s own: the proxy is the browser\'s choice, not the URL\'s.',
      refs: ['RFC 9110 §9.3.6'],
      do: [{ do: 'choose', route: 'forward-proxy' }],
    },
    {
      id: 'connect',
      title: 'CONNECT, then the handshake inside',
      say: 'Chrome asks the proxy CONNECT 127.0.0.1:{echo} HTTP/1.1 and gets 200 Connection established. Then, inside the tunnel, the usual GET with Upgrade: websocket, and the 101.',
      refs: ['RFC 9110 §9.3.6', 'RFC 6455 §4.1'],
      do: [{ do: 'connect', as: 'tunnel' }],
      point: [{ at: 'hop', event: 'connect', from: 'browser', to: 'forward-proxy', seenBy: 'forward-proxy' }],
      expect: [
        { kind: 'tunnel', target: '127.0.0.1:{echo}' },
        UPGRADED,
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'forward-proxy', name: 'Upgrade', present: true, value: 'websocket' },
      ],
    },
    {
      id: 'unchanged',
      title: 'The proxy cannot change it',
      say: 'A tunnel relays bytes: the request the proxy read inside is byte for byte the one the echo server received. No hop-by-hop headers are rewritten — there is no HTTP hop here, only TCP.',
      point: [{ at: 'hop', event: 'request', from: 'browser', to: 'echo', seenBy: 'forward-proxy' }],
      expect: [{ kind: 'header', event: 'request', from: 'forward-proxy', to: 'echo', seenBy: 'echo', name: 'Connection', present: true, value: 'Upgrade' }],
    },
    {
      id: 'frames',
      title: 'Frames in the clear',
      say: 'A message and its echo, read by the proxy inside the tunnel: masked from the browser, unmasked from the server.',
      refs: ['RFC 6455 §5.1'],
      do: [{ do: 'send', text: 'through the tunnel' }],
      point: [{ at: 'message', direction: 'sent', text: 'through the tunnel' }],
      expect: [
        { kind: 'frames', from: 'browser', to: 'echo', seenBy: 'forward-proxy', opcode: 1, text: 'through the tunnel', masked: true },
        { kind: 'frames', from: 'echo', to: 'browser', seenBy: 'forward-proxy', opcode: 1, text: 'through the tunnel', masked: false },
      ],
    },
    {
      id: 'wss',
      title: 'Why wss:// would be opaque',
      say:
        'With wss:// the browser starts TLS inside the tunnel before any HTTP: the proxy sees a ClientHello (the server name, SNI) and then ' +
        'encrypted records. It cannot read the Upgrade request, the lab= parameter or a frame — the lab would file it nowhere but the default ' +
        'session, and say the tunnel was opaque. That privacy is why wss:// also survives proxies that mangle ws://.',
      refs: ['RFC 9110 §9.3.6', 'RFC 8446 §4.1.2', 'RFC 6455 §11.1.2'],
      point: [{ at: 'hop', event: 'connect', from: 'browser', to: 'forward-proxy', seenBy: 'forward-proxy' }],
    },
    {
      id: 'close',
      title: 'Close through the tunnel',
      say: 'The closing handshake passes through like any frame: 1000, clean.',
      do: [{ do: 'close', code: 1000, reason: 'done' }],
      expect: [closedCleanly(1000, 'done')],
    },
  ],
};

export const wsVsWss: Lesson = {
  id: 'ws-vs-wss-through-a-proxy',
  question: 'connect-tunnel',
  title: 'ws:// and wss:// through the same proxy',
  concept: 'Through a CONNECT tunnel a proxy reads a ws:// WebSocket whole; of a wss:// one it reads the server name, the ALPN and byte counts — nothing else.',
  answer:
    'Both open the same kind of tunnel: CONNECT host:port, then 200. With ws:// the handshake and every frame cross it in the clear, so the proxy ' +
    'can read (and a bad proxy can break) them. With wss:// the browser starts TLS inside the tunnel: the ClientHello shows the server name (SNI) ' +
    'and the protocols offered (ALPN, http/1.1 for a WebSocket), and after it everything is encrypted — the proxy sees only how many bytes went each way.',
  shows: 'The same proxy, one ws:// and one wss:// connection: the handshake and frames it read, against the ClientHello and the byte counts.',
  minutes: 4,
  needs: ['browser-proxy', 'tls'],
  steps: [
    {
      id: 'ws',
      title: 'ws:// through the proxy',
      say:
        'With Chrome started with --proxy-server=http://127.0.0.1:{forwardProxy} and the lab\'s certificate accepted, connect with ws://: CONNECT 127.0.0.1:{echo}, ' +
        'then the upgrade request inside the tunnel, in the clear.',
      refs: ['RFC 9110 §9.3.6', 'RFC 6455 §4.1'],
      do: [{ do: 'choose', route: 'forward-proxy' }, { do: 'connect', as: 'plain' }, { do: 'send', text: 'the proxy can read this' }],
      point: [{ at: 'message', direction: 'sent', text: 'the proxy can read this' }],
      expect: [
        { kind: 'tunnel', target: '127.0.0.1:{echo}' },
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'forward-proxy', name: 'Upgrade', present: true, value: 'websocket' },
        { kind: 'frames', from: 'browser', to: 'echo', seenBy: 'forward-proxy', opcode: 1, text: 'the proxy can read this' },
      ],
    },
    {
      id: 'wss',
      title: 'wss:// through the same proxy',
      say:
        'Now wss://localhost:{echoTls} — by name, because a client sends no server name for an IP address. The same CONNECT, the same 200; then a ' +
        'TLS ClientHello. The proxy reads its server name and ALPN (http/1.1: a WebSocket handshake is HTTP/1.1), and nothing after it.',
      refs: ['RFC 8446 §4.1.2', 'RFC 6066 §3', 'RFC 7301 §3.1'],
      do: [{ do: 'choose', route: 'forward-proxy+wss' }, { do: 'connect', as: 'secure' }],
      point: [{ at: 'hop', event: 'tls-client-hello', from: 'browser', to: 'echo', seenBy: 'forward-proxy' }],
      expect: [
        { kind: 'tunnel', target: 'localhost:{echoTls}' },
        { kind: 'tls-hello', serverName: 'localhost', alpn: 'http/1.1' },
        { kind: 'opened', opened: true },
        { kind: 'header', event: 'request', from: 'forward-proxy', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: true, value: 'websocket' },
      ],
    },
    {
      id: 'hidden',
      title: 'Frames the proxy cannot see',
      say:
        'A message over wss:// reaches the echo server, which decrypted it — but the proxy recorded no frame: inside the tunnel there are only TLS records. ' +
        'That is also why wss:// survives proxies that mangle ws://: they cannot touch what they cannot read.',
      refs: ['RFC 6455 §11.1.2'],
      do: [{ do: 'send', text: 'the proxy cannot read this', on: 'secure' }],
      point: [{ at: 'hop', on: 'secure', event: 'frames', from: 'forward-proxy', to: 'echo', seenBy: 'echo' }],
      expect: [
        { kind: 'frames', on: 'secure', from: 'forward-proxy', to: 'echo', seenBy: 'echo', opcode: 1, text: 'the proxy cannot read this' },
        { kind: 'frames', on: 'secure', seenBy: 'forward-proxy', count: 0 },
      ],
    },
    {
      id: 'close',
      title: 'Bytes, counted',
      say: 'Both close with 1000. When the wss:// tunnel closes the proxy records how many bytes it relayed each way, unread.',
      do: [{ do: 'close', code: 1000, reason: 'done', on: 'plain' }, { do: 'close', code: 1000, reason: 'done', on: 'secure' }],
      point: [{ at: 'hop', on: 'secure', event: 'tunnel-bytes', from: 'browser', to: 'echo', seenBy: 'forward-proxy' }],
      expect: [closedCleanly(1000, 'done'), { kind: 'close', on: 'plain', code: 1000, reason: 'done', wasClean: true }],
    },
  ],
};
