import type { Lesson } from '../types.ts';
import { FAILED, handshakeError, UPGRADED, via } from './kit.ts';

/** What a client can send and a page cannot: a header named in Connection, and legacy connection options. */
const CONNECTION_NAMED = [
  ['Connection', 'Upgrade, X-Lesson'],
  ['Upgrade', 'websocket'],
  ['X-Lesson', 'for the next hop only'],
  ['Keep-Alive', 'timeout=5'],
  ['Proxy-Connection', 'keep-alive'],
] as const;

export const hopByHop: Lesson = {
  id: 'hop-by-hop',
  question: 'hop-by-hop',
  title: 'Hop-by-hop headers, and headers named in Connection',
  concept: 'Some headers describe one connection, not the request: a proxy must remove them, and any header Connection names.',
  answer:
    'Hop-by-hop headers (Connection, Upgrade, Keep-Alive, Proxy-Connection, TE, Transfer-Encoding, and every header the Connection header ' +
    'names) are about one connection, so a proxy removes them before forwarding (RFC 9110 §7.6.1). nginx removes only Connection, ' +
    'Upgrade, Keep-Alive, TE and Expect, and forwards the rest; a strictly RFC 9110 proxy removes them all.',
  shows: 'What the browser sends and each proxy re-creates, then a terminal handshake with a header named in Connection, through nginx and through a strict proxy.',
  minutes: 5,
  steps: [
    {
      id: 'browser-nginx',
      title: 'Connection: Upgrade is for one hop',
      say:
        'Through nginx-websocket: the browser\'s Connection: Upgrade both asks for the upgrade and names Upgrade as hop-by-hop. The proxy ' +
        'consumes both and writes its own for the next hop (Connection: upgrade).',
      refs: ['RFC 9110 §7.6.1', 'RFC 9110 §7.8'],
      do: via('reverse-proxy:nginx-websocket', 'nginx'),
      point: [{ at: 'header', name: 'Connection', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy' }],
      expect: [
        UPGRADED,
        { kind: 'header', event: 'request', from: 'browser', to: 'reverse-proxy', name: 'Connection', present: true, value: 'Upgrade' },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Connection', present: true, value: 'upgrade' },
      ],
    },
    {
      id: 'browser-strict',
      title: 'A proxy that does exactly RFC 9110',
      say:
        'rfc9110-strict removes every hop-by-hop field and asks the next hop for the upgrade anew, keeping everything else as sent — Host ' +
        'included, where nginx writes the upstream\'s. A browser sends only Connection and Upgrade of these, so both proxies upgrade it.',
      refs: ['RFC 9110 §7.6.1', 'RFC 9110 §7.2'],
      do: via('reverse-proxy:rfc9110-strict', 'strict'),
      point: [{ at: 'compare', left: 'nginx', right: 'strict' }],
      expect: [
        UPGRADED,
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Host', present: true, value: '127.0.0.1:{proxy}' },
        { kind: 'header', on: 'nginx', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Host', present: true, value: '127.0.0.1:{echo}' },
      ],
    },
    {
      id: 'named-nginx',
      title: 'From a terminal: a header named in Connection, through nginx',
      say:
        'A page cannot set Connection or Keep-Alive (browsers forbid it), so send this handshake from a terminal. Connection names X-Lesson, ' +
        'so X-Lesson is hop-by-hop too. nginx drops Keep-Alive but forwards X-Lesson and Proxy-Connection: the lab calls that out.',
      refs: ['RFC 9110 §7.6.1', 'nginx docs: proxy_set_header'],
      do: [{ do: 'terminal', as: 'named-nginx', route: 'reverse-proxy:nginx-websocket', headers: CONNECTION_NAMED }],
      point: [{ at: 'header', name: 'X-Lesson', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy' }, { at: 'finding', rule: 'proxy-forwarded-hop-by-hop' }],
      expect: [
        UPGRADED,
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'X-Lesson', present: true },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Proxy-Connection', present: true },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Keep-Alive', present: false },
        { kind: 'finding', rule: 'proxy-forwarded-hop-by-hop', present: true, says: 'Proxy-Connection, X-Lesson (named in Connection)' },
      ],
    },
    {
      id: 'named-strict',
      title: 'The same, through the strict proxy',
      say: 'rfc9110-strict removes X-Lesson (named in Connection), Keep-Alive and Proxy-Connection, then writes its own Connection: Upgrade. The echo server sees only end-to-end headers.',
      refs: ['RFC 9110 §7.6.1'],
      do: [{ do: 'terminal', as: 'named-strict', route: 'reverse-proxy:rfc9110-strict', headers: CONNECTION_NAMED }],
      point: [{ at: 'header', name: 'X-Lesson', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy' }, { at: 'finding', rule: 'proxy-dropped-hop-by-hop' }],
      expect: [
        UPGRADED,
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'X-Lesson', present: false },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Proxy-Connection', present: false },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Connection', present: true, value: 'Upgrade' },
        { kind: 'finding', rule: 'proxy-dropped-hop-by-hop', present: true, says: 'X-Lesson (named in Connection)' },
      ],
    },
  ],
};

export const originBehindHost: Lesson = {
  id: 'origin-behind-host',
  question: 'forbidden-behind-proxy',
  title: 'Origin checks, and Host $host',
  concept: 'WebSockets have no CORS: the server checks Origin itself, and a proxy that rewrites Host can break a same-host check.',
  answer:
    'The browser sends Origin with every handshake and the server decides (a refusal is 403). Apps often allow "same host" by comparing ' +
    'Origin with Host. Behind nginx with proxy_set_header Host $host, Host loses its port while Origin keeps it, so the same check passes ' +
    'directly and fails only behind the proxy. Forward the Host the browser sent: proxy_set_header Host $http_host;',
  shows: 'A 403 for an origin not on the list, the page\'s origin allowed, a same-host check, and the port nginx-forwarded drops from Host.',
  minutes: 4,
  steps: [
    {
      id: 'not-listed',
      title: 'An origin not on the list: 403',
      say: 'origin= sets the echo server\'s policy. The page\'s Origin is not http://example.test, so the echo server answers 403 Forbidden and the page sees 1006. CORS never applies to WebSockets: the server must check.',
      refs: ['RFC 6455 §4.2.1 (item 7)', 'RFC 6455 §10.2', 'RFC 6454'],
      do: via('direct', 'elsewhere', { origin: 'http://example.test' }),
      point: [{ at: 'header', name: 'Origin', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo' }],
      expect: [
        { kind: 'status', status: 403 },
        { kind: 'header', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Origin', present: true, value: '{origin}' },
        { kind: 'body', from: 'echo', to: 'browser', seenBy: 'echo', includes: 'request origin not allowed: {origin} is not one of http://example.test' },
        { kind: 'finding', rule: 'refused-origin', present: true, says: 'because Origin {origin} is not in the allowed list (http://example.test)' },
        FAILED,
        handshakeError('Unexpected response code: 403'),
      ],
    },
    {
      id: 'listed',
      title: 'The page\'s origin on the list: 101',
      say: 'The same request, with this page\'s origin allowed: it upgrades.',
      do: via('direct', 'allowed', { origin: 'http://example.test,{origin}' }),
      expect: [UPGRADED],
    },
    {
      id: 'same-host',
      title: 'A same-host check, and the port',
      say: 'origin=same-host compares Origin with Host. This page is on the lab\'s port, the socket on the echo server\'s: an origin includes the port, so they differ, and the check refuses.',
      refs: ['RFC 6454 §4', 'RFC 9110 §7.2'],
      do: via('direct', 'same-host', { origin: 'same-host' }),
      point: [{ at: 'finding', rule: 'refused-origin' }],
      expect: [
        { kind: 'status', status: 403 },
        { kind: 'finding', rule: 'refused-origin', present: true, says: 'is not the same host as Host: 127.0.0.1:{echo}' },
        { kind: 'finding', rule: 'refused-origin', present: true, says: 'An origin includes the port, so a page served on another port is another origin.' },
        handshakeError('Unexpected response code: 403'),
      ],
    },
    {
      id: 'host-without-port',
      title: 'Behind Host $host: the port is gone',
      say:
        'nginx-forwarded sets Host $host, which is the host without the port. The browser asked for 127.0.0.1:{proxy}; the echo server is ' +
        'told 127.0.0.1. An app behind it comparing Origin http://127.0.0.1:{proxy} with that Host refuses with 403 — only behind the proxy.',
      refs: ['RFC 9110 §7.2', 'RFC 6454 §4', 'nginx docs: $host vs $http_host'],
      do: via('reverse-proxy:nginx-forwarded', 'forwarded'),
      point: [{ at: 'header', name: 'Host', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy' }, { at: 'finding', rule: 'proxy-host-without-port' }],
      expect: [
        UPGRADED,
        { kind: 'header', event: 'request', from: 'browser', to: 'reverse-proxy', name: 'Host', present: true, value: '127.0.0.1:{proxy}' },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Host', present: true, value: '127.0.0.1' },
        { kind: 'finding', rule: 'proxy-host-without-port', present: true },
      ],
    },
    {
      id: 'fix',
      title: 'Fix it: forward the Host the browser sent',
      say: 'proxy_set_header Host $http_host; keeps the port. rfc9110-strict forwards Host as sent, so the echo server is told 127.0.0.1:{proxy} and a same-host check agrees with the browser\'s Origin.',
      refs: ['nginx docs: $http_host'],
      do: via('reverse-proxy:rfc9110-strict', 'fixed'),
      fix: { broken: 'forwarded', fixed: 'fixed', change: 'proxy_set_header Host $http_host;' },
      point: [{ at: 'compare', left: 'forwarded', right: 'fixed' }],
      expect: [
        UPGRADED,
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Host', present: true, value: '127.0.0.1:{proxy}' },
        { kind: 'finding', rule: 'proxy-host-without-port', present: false },
      ],
    },
  ],
};
