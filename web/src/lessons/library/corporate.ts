// Corporate forward proxies: each lesson runs Chrome through one of the forward proxy's presets
// (its own port), and checks Chromium's own reaction: the CloseEvent and its console line.
import type { Lesson } from '../types.ts';
import { FAILED } from './kit.ts';

const TUNNEL_FAILED = 'Establishing a tunnel via proxy server failed.';

const chooseThrough = (preset: string, behaves: string) => ({
  id: 'choose',
  title: `Chrome behind the ${preset} proxy`,
  say:
    `This lesson needs Chrome started with --proxy-server=http://127.0.0.1:{forwardProxy:${preset}} --proxy-bypass-list="<-loopback>;127.0.0.1:{ui}": ` +
    `the lab's ${preset} forward proxy, which behaves like ${behaves}. The page opens the echo server's own URL; the proxy is the browser's choice.`,
  refs: ['RFC 9110 §9.3.6'],
  do: [{ do: 'choose' as const, route: 'forward-proxy' as const }],
});

export const connect443Only: Lesson = {
  id: 'connect-443-only',
  question: 'corporate-proxy',
  title: 'A proxy that tunnels only to port 443',
  concept: 'Many corporate proxies allow CONNECT only to port 443, so ws:// on any other port is refused before a handshake is sent.',
  answer:
    'A browser sends every WebSocket through its proxy as a CONNECT host:port tunnel. Proxies configured like Squid\'s default ' +
    '(http_access deny CONNECT !SSL_ports) answer 403 unless the port is 443. Chromium then fails the socket with 1006 and ' +
    '"Establishing a tunnel via proxy server failed." — no handshake ever leaves the browser. wss:// on 443 is tunnelled, which is ' +
    'why WebSockets work over wss:// but not ws:// at work.',
  shows: 'Chromium\'s CloseEvent and console line when the proxy refuses the CONNECT, and where the lab files the refusal.',
  minutes: 3,
  needs: ['browser-proxy', 'tls'],
  proxy: 'connect-443-only',
  steps: [
    chooseThrough('connect-443-only', "Squid's default: http_access deny CONNECT !SSL_ports"),
    {
      id: 'refused',
      title: 'CONNECT to port {echo}: 403',
      say:
        'Chrome asks the proxy CONNECT 127.0.0.1:{echo}. The port is not 443, so the proxy answers 403 Forbidden. Chromium never sends the ' +
        'WebSocket handshake: the socket fails with 1006, and the console says why — the page itself only gets the bare CloseEvent.',
      refs: ['RFC 9110 §9.3.6', 'RFC 6455 §7.1.5'],
      do: [{ do: 'connect', as: 'ws' }],
      point: [{ at: 'tab', tab: 'close' }],
      expect: [{ kind: 'opened', opened: false }, FAILED, { kind: 'chromium', says: TUNNEL_FAILED }],
    },
    {
      id: 'unseen',
      title: 'Where the 403 went',
      say:
        'No hop behind the proxy saw this connection, and the proxy cannot say which page asked: a CONNECT names only host:port, never the URL ' +
        'with its lab= and conn=. The lab files the CONNECT and its 403 (with the reason) under Session → Terminal clients.',
      refs: ['RFC 9110 §9.3.6'],
      point: [{ at: 'finding', rule: 'no-hop-saw-it' }],
      expect: [{ kind: 'finding', rule: 'no-hop-saw-it', present: true }],
    },
    {
      id: 'wss',
      title: 'wss:// on a TLS port: tunnelled',
      say:
        'Now wss:// to the echo server\'s TLS port, which this lab\'s connect-443-only proxy treats as 443 (a lab cannot assume it may bind port 443). ' +
        'The CONNECT is allowed, the proxy relays the TLS it cannot read, and the WebSocket opens.',
      refs: ['RFC 6455 §4.1', 'RFC 9110 §9.3.6'],
      do: [{ do: 'choose', route: 'forward-proxy+wss' }, { do: 'connect', as: 'wss' }],
      point: [{ at: 'hop', event: 'tls-client-hello', from: 'browser', to: 'echo', seenBy: 'forward-proxy' }],
      expect: [{ kind: 'tunnel', target: 'localhost:{echoTls}' }, { kind: 'tls-hello', serverName: 'localhost' }, { kind: 'opened', opened: true }],
    },
    {
      id: 'close',
      title: 'Close',
      say: 'Close it with 1000: the closing handshake passes through the tunnel like any frame.',
      do: [{ do: 'close', code: 1000, reason: 'done' }],
      expect: [{ kind: 'close', code: 1000, reason: 'done', wasClean: true }],
    },
  ],
};

export const tlsOnly: Lesson = {
  id: 'tls-only',
  question: 'corporate-proxy',
  title: 'A proxy that lets only TLS through its tunnels',
  concept: 'Some proxies allow CONNECT but cut a tunnel whose first bytes are not a TLS ClientHello: a ws:// handshake is plain text.',
  answer:
    'Proxies that "block traffic which doesn\'t appear to be SSL" (Squid with ssl_bump peek, many appliances) answer the CONNECT with 200, ' +
    'then read the first bytes. A TLS handshake record starts with 0x16; "GET /echo HTTP/1.1" does not, so the tunnel is cut. Chromium ' +
    'reports "Connection closed before receiving a handshake response" and 1006. With wss:// the first bytes are a ClientHello and pass.',
  shows: 'The CONNECT allowed, the plain-text handshake the proxy read, the cut, and Chromium\'s reaction.',
  minutes: 3,
  needs: ['browser-proxy', 'tls'],
  proxy: 'tls-only',
  steps: [
    chooseThrough('tls-only', 'Squid with ssl_bump peek and on_unsupported_protocol respond'),
    {
      id: 'cut',
      title: 'CONNECT allowed, then cut',
      say:
        'The proxy answers CONNECT 127.0.0.1:{echo} with 200. Chrome sends the WebSocket handshake inside: plain text, "GET /echo…". The proxy ' +
        'looks at the first bytes, sees no TLS record, and closes both sides without relaying them. The echo server never hears of it.',
      refs: ['RFC 9110 §9.3.6', 'RFC 8446 §5.1'],
      do: [{ do: 'connect', as: 'ws' }],
      point: [{ at: 'hop', event: 'connect', from: 'browser', to: 'forward-proxy', seenBy: 'forward-proxy' }],
      expect: [
        { kind: 'tunnel', target: '127.0.0.1:{echo}' },
        { kind: 'status', status: 200, from: 'forward-proxy', to: 'browser' },
        { kind: 'hop-error', code: 'NOT_TLS', from: 'browser', to: 'echo', seenBy: 'forward-proxy' },
        { kind: 'opened', opened: false },
        FAILED,
        { kind: 'chromium', says: 'Connection closed before receiving a handshake response' },
      ],
    },
    {
      id: 'why',
      title: 'Why: not TLS',
      say:
        'The finding says what the proxy saw. The lab could file this one under your session because the proxy read the plain-text request ' +
        'line before cutting it; with wss:// it would have seen only a ClientHello, and let it through.',
      refs: ['RFC 8446 §4.1.2', 'RFC 6455 §11.1.2'],
      point: [{ at: 'finding', rule: 'tunnel-not-tls' }],
      expect: [{ kind: 'finding', rule: 'tunnel-not-tls', present: true }],
    },
    {
      id: 'wss',
      title: 'wss:// passes',
      say: 'Now wss:// through the same proxy: the first bytes in the tunnel are a TLS ClientHello, so the proxy lets the tunnel be, and the WebSocket opens.',
      refs: ['RFC 8446 §5.1', 'RFC 6455 §4.1'],
      do: [{ do: 'choose', route: 'forward-proxy+wss' }, { do: 'connect', as: 'wss' }],
      point: [{ at: 'hop', event: 'tls-client-hello', from: 'browser', to: 'echo', seenBy: 'forward-proxy' }],
      expect: [{ kind: 'tls-hello', serverName: 'localhost' }, { kind: 'opened', opened: true }],
    },
    {
      id: 'close',
      title: 'Close',
      say: 'Close it with 1000: the closing handshake passes through the tunnel, encrypted like everything after the ClientHello.',
      do: [{ do: 'close', code: 1000, reason: 'done' }],
      expect: [{ kind: 'close', code: 1000, reason: 'done', wasClean: true }],
    },
  ],
};

export const httpOnly: Lesson = {
  id: 'http-only',
  question: 'corporate-proxy',
  title: 'A proxy that does not tunnel at all',
  concept: 'A proxy without CONNECT forwards only plain HTTP requests, and drops the hop-by-hop Upgrade: no WebSocket gets through.',
  answer:
    'A browser always tunnels a WebSocket through its proxy with CONNECT; a proxy that refuses CONNECT (403) leaves it no way through, and ' +
    'Chromium says "Establishing a tunnel via proxy server failed." A client that sends the upgrade as a plain proxied request ' +
    '(GET http://host/…) fares no better: Upgrade and Connection are hop-by-hop, the proxy drops them, and the server sees a plain GET (426).',
  shows: 'Chromium refused, then a terminal client\'s upgrade forwarded without Upgrade and answered 426, as behind nginx\'s proxy_pass alone.',
  minutes: 4,
  needs: ['browser-proxy'],
  proxy: 'http-only',
  steps: [
    chooseThrough('http-only', 'Squid with http_access deny CONNECT'),
    {
      id: 'refused',
      title: 'CONNECT refused',
      say: 'Chrome asks CONNECT 127.0.0.1:{echo}; the proxy answers 403, as it does to every CONNECT. The socket fails with 1006 before any handshake.',
      refs: ['RFC 9110 §9.3.6'],
      do: [{ do: 'connect', as: 'ws' }],
      point: [{ at: 'finding', rule: 'no-hop-saw-it' }],
      expect: [{ kind: 'opened', opened: false }, FAILED, { kind: 'chromium', says: TUNNEL_FAILED }, { kind: 'finding', rule: 'no-hop-saw-it', present: true }],
    },
    {
      id: 'plain',
      title: 'The upgrade as a plain proxied request',
      say:
        'A client that does not tunnel sends the proxy the whole URL: GET http://127.0.0.1:{echo}/echo with Upgrade: websocket. Upgrade and ' +
        'Connection are hop-by-hop: the proxy drops them and sends Connection: close, so the echo server sees a plain GET and answers 426 — the ' +
        'same as behind nginx with proxy_pass alone.',
      refs: ['RFC 9112 §3.2.2', 'RFC 9110 §7.6.1', 'RFC 9110 §7.8'],
      do: [{ do: 'terminal', as: 'plain', route: 'forward-proxy', proxy: 'http-only', headers: [['Upgrade', 'websocket'], ['Connection', 'Upgrade']] }],
      point: [{ at: 'header', on: 'plain', name: 'Upgrade', event: 'request', from: 'forward-proxy', to: 'echo', seenBy: 'forward-proxy' }, { at: 'finding', on: 'plain', rule: 'refused-missing-upgrade' }],
      expect: [
        { kind: 'header', on: 'plain', event: 'request', from: 'browser', to: 'forward-proxy', seenBy: 'forward-proxy', name: 'Upgrade', present: true, value: 'websocket' },
        { kind: 'header', on: 'plain', event: 'request', from: 'forward-proxy', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: false },
        { kind: 'header', on: 'plain', event: 'request', from: 'forward-proxy', to: 'echo', seenBy: 'echo', name: 'Connection', present: true, value: 'close' },
        { kind: 'status', on: 'plain', status: 426, from: 'forward-proxy', to: 'browser' },
        { kind: 'finding', on: 'plain', rule: 'refused-missing-upgrade', present: true, says: 'The forward proxy dropped Upgrade' },
      ],
    },
  ],
};
