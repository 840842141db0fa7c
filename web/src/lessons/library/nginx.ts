import type { Lesson } from '../types.ts';
import { closedCleanly, FAILED, handshakeError, UPGRADED, via } from './kit.ts';

const RECIPE = 'proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";';

export const nginxDefault: Lesson = {
  id: 'nginx-default',
  question: 'fails-behind-nginx',
  title: 'proxy_pass alone drops the upgrade',
  concept: 'Upgrade and Connection are hop-by-hop: a proxy does not forward them unless told to set them again.',
  answer:
    'Upgrade and Connection are hop-by-hop headers: nginx removes them, and with proxy_pass alone it sends the request upstream as ' +
    'HTTP/1.0 with Connection: close. The server sees a plain GET and refuses (426), and the browser reports only 1006. The fix is the ' +
    `WebSocket recipe: ${RECIPE}`,
  shows: '426 from the server, 1006 in the browser, the Upgrade header lost at the proxy, and the recipe that fixes it.',
  minutes: 4,
  steps: [
    {
      id: 'choose',
      title: 'A location with proxy_pass and nothing else',
      say: 'nginx-default is what most people write first: location /… { proxy_pass http://app; }. The bundled reverse proxy behaves exactly as nginx 1.22 does with it.',
      do: [{ do: 'choose', route: 'reverse-proxy:nginx-default' }],
    },
    {
      id: 'connect',
      title: 'Connect: 426, and the page sees 1006',
      say:
        'The browser gets 426 Upgrade Required instead of 101. A page is never told why a handshake failed: it gets an error event and ' +
        'CloseEvent 1006. Only the console (and the lab) show the status.',
      refs: ['RFC 6455 §4.1', 'RFC 6455 §7.4.1'],
      do: [{ do: 'connect', as: 'broken' }],
      point: [{ at: 'hop', event: 'response', from: 'reverse-proxy', to: 'browser', seenBy: 'reverse-proxy' }],
      expect: [{ kind: 'status', status: 426 }, { kind: 'opened', opened: false }, FAILED, handshakeError('Unexpected response code: 426')],
    },
    {
      id: 'upgrade-lost',
      title: 'Where Upgrade was lost',
      say:
        'The browser sent Upgrade: websocket and Connection: Upgrade. The proxy sent upstream HTTP/1.0, Connection: close and no Upgrade at ' +
        'all: Connection and Upgrade concern one connection, so a proxy consumes them, and nginx adds them back only when the location says so.',
      refs: ['RFC 9110 §7.6.1', 'RFC 9110 §7.8'],
      point: [{ at: 'header', name: 'Upgrade', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy' }],
      expect: [
        { kind: 'header', event: 'request', from: 'browser', to: 'reverse-proxy', name: 'Upgrade', present: true, value: 'websocket' },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy', name: 'Upgrade', present: false },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Connection', present: true, value: 'close' },
        { kind: 'http-version', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', version: '1.0' },
      ],
    },
    {
      id: 'why',
      title: 'The echo server refused a plain GET',
      say: "Without Upgrade the echo server sees an ordinary request and answers 426 Upgrade Required, body “missing 'Upgrade' header”. The proxy relays it. The finding names the hop that changed the request.",
      refs: ['RFC 9110 §15.5.22', 'RFC 6455 §4.2.1'],
      point: [
        { at: 'finding', rule: 'refused-missing-upgrade' },
        { at: 'hop', event: 'response', from: 'echo', to: 'reverse-proxy', seenBy: 'echo' },
      ],
      expect: [
        { kind: 'status', status: 426, from: 'echo', to: 'reverse-proxy' },
        { kind: 'body', from: 'echo', to: 'reverse-proxy', seenBy: 'echo', includes: "missing 'Upgrade' header" },
        { kind: 'finding', rule: 'refused-missing-upgrade', present: true, says: 'dropped Upgrade, a hop-by-hop header' },
        { kind: 'frames', count: 0 },
      ],
    },
    {
      id: 'fix',
      title: 'Fix it: the WebSocket recipe',
      say: `nginx-websocket adds ${RECIPE} The same browser request now reaches the echo server as an upgrade. Compare the two side by side: the headers the echo server received say it all.`,
      refs: ['RFC 9110 §7.8', 'nginx docs: WebSocket proxying'],
      do: [...via('reverse-proxy:nginx-websocket', 'fixed'), { do: 'send', text: 'fixed' }],
      fix: { broken: 'broken', fixed: 'fixed', change: 'proxy_http_version 1.1, and Upgrade and Connection set again' },
      point: [{ at: 'compare', left: 'broken', right: 'fixed' }],
      expect: [
        UPGRADED,
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: true, value: 'websocket' },
        { kind: 'frames', from: 'echo', to: 'reverse-proxy', seenBy: 'echo', opcode: 1, text: 'fixed' },
      ],
    },
  ],
};

export const nginxWebsocket: Lesson = {
  id: 'nginx-websocket',
  question: 'fails-behind-nginx',
  title: 'How the nginx WebSocket recipe works',
  concept: 'A proxy re-creates Connection and Upgrade for the next hop, over HTTP/1.1, and rewrites Host.',
  answer:
    `The recipe (${RECIPE}) makes nginx ask the next hop for the upgrade again, over HTTP/1.1: it drops the browser's hop-by-hop ` +
    'Connection and Upgrade, writes its own, and forwards the rest. After the 101 it relays frames both ways unchanged.',
  shows: 'Each hop\'s request, what the proxy changed header by header, and the frames on both legs.',
  minutes: 4,
  steps: [
    {
      id: 'connect',
      title: 'Through the recipe: 101',
      say: 'Choose nginx-websocket and connect. The inspector shows the location the connection went through: proxy_http_version 1.1 and two proxy_set_header lines.',
      refs: ['nginx docs: WebSocket proxying'],
      do: via('reverse-proxy:nginx-websocket', 'recipe'),
      point: [{ at: 'config' }, { at: 'hop', event: 'response', from: 'reverse-proxy', to: 'browser', seenBy: 'reverse-proxy' }],
      expect: [UPGRADED, { kind: 'opened', opened: true }],
    },
    {
      id: 'hop-by-hop',
      title: 'Connection and Upgrade, re-created',
      say:
        'The browser\'s Connection: Upgrade is consumed by the proxy; it writes its own Connection: upgrade (and Upgrade: websocket) first, ' +
        'as proxy_set_header says, and asks over HTTP/1.1: HTTP/1.0 has no upgrade.',
      refs: ['RFC 9110 §7.6.1', 'RFC 9110 §7.8', 'RFC 6455 §4.1'],
      point: [{ at: 'header', name: 'Connection', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy' }],
      expect: [
        { kind: 'header', event: 'request', from: 'browser', to: 'reverse-proxy', name: 'Connection', present: true, value: 'Upgrade' },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy', name: 'Connection', present: true, value: 'upgrade' },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy', name: 'Upgrade', present: true, value: 'websocket' },
        { kind: 'http-version', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy', version: '1.1' },
      ],
    },
    {
      id: 'host',
      title: 'Host names the upstream',
      say: 'Host is end-to-end, but proxy_pass sets it to the upstream\'s host:port unless told otherwise ($proxy_host). The browser asked for the proxy\'s port; the echo server is told its own.',
      refs: ['RFC 9110 §7.2', 'nginx docs: proxy_set_header'],
      point: [{ at: 'header', name: 'Host', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy' }],
      expect: [
        { kind: 'header', event: 'request', from: 'browser', to: 'reverse-proxy', name: 'Host', present: true, value: '127.0.0.1:{proxy}' },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Host', present: true, value: '127.0.0.1:{echo}' },
      ],
    },
    {
      id: 'nothing-between',
      title: 'Nothing else stood between',
      say: 'The proxy recorded the request it sent; the echo server recorded the request it received. They are the same: no other hop changed it on the way.',
      point: [{ at: 'hop', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo' }],
      expect: [{ kind: 'same-head', event: 'request', from: 'reverse-proxy', to: 'echo' }],
    },
    {
      id: 'frames',
      title: 'Frames on both legs',
      say: 'After the 101 the proxy is a tunnel: the masked frame from the browser and the unmasked echo pass through unchanged, seen on each leg.',
      refs: ['RFC 6455 §5.1'],
      do: [{ do: 'send', text: 'through the proxy' }],
      point: [{ at: 'message', direction: 'sent', text: 'through the proxy' }],
      expect: [
        { kind: 'frames', from: 'browser', to: 'reverse-proxy', opcode: 1, text: 'through the proxy', masked: true },
        { kind: 'frames', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', opcode: 1, text: 'through the proxy' },
        { kind: 'frames', from: 'reverse-proxy', to: 'browser', opcode: 1, text: 'through the proxy', masked: false },
      ],
    },
    {
      id: 'close',
      title: 'Close: 1000 through the tunnel',
      say: 'The close frames travel through the proxy too: a clean 1000 at both ends.',
      do: [{ do: 'close', code: 1000, reason: 'done' }],
      point: [{ at: 'tab', tab: 'close' }],
      expect: [closedCleanly(1000, 'done')],
    },
  ],
};

export const directVsProxy: Lesson = {
  id: 'direct-vs-proxy',
  question: 'fails-behind-nginx',
  title: 'Directly it works; through the proxy it does not',
  concept: 'The same exchange on two routes at once, and the headers the server received, side by side.',
  answer:
    'Run the same exchange directly and through the proxy and compare what the server received: through nginx-default it got HTTP/1.0, ' +
    'Connection: close and no Upgrade. The proxy, not the app, is what changed.',
  shows: 'The Compare view: outcome, close, request line and frames per route, and the headers the echo server received, diffed.',
  minutes: 2,
  steps: [
    {
      id: 'run',
      title: 'One click, two routes',
      say: 'The Compare view opens two connections at once — direct, and through nginx-default — sends the same message on each and closes with 1000.',
      do: [{ do: 'compare-run', through: 'reverse-proxy:nginx-default', message: 'same message, two routes', as: ['direct', 'proxied'] }],
      point: [{ at: 'compare', left: 'direct', right: 'proxied' }],
      expect: [
        { kind: 'status', on: 'direct', status: 101 },
        { kind: 'status', on: 'proxied', status: 426 },
        { kind: 'close', on: 'direct', code: 1000, reason: 'compare', wasClean: true },
        { kind: 'close', on: 'proxied', code: 1006, wasClean: false },
        { kind: 'chromium', on: 'proxied', says: 'Error during WebSocket handshake: Unexpected response code: 426' },
      ],
    },
    {
      id: 'read',
      title: 'Read the difference at the echo server',
      say: 'Below the outcomes: the headers the echo server received. Upgrade only on the left; Connection: Upgrade against close; HTTP/1.1 against 1.0. Sec-WebSocket-Key differs by design.',
      refs: ['RFC 9110 §7.6.1', 'RFC 6455 §4.1'],
      point: [{ at: 'compare', left: 'direct', right: 'proxied' }],
      expect: [
        { kind: 'header', on: 'direct', event: 'request', from: 'browser', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: true, value: 'websocket' },
        { kind: 'header', on: 'proxied', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: false },
        { kind: 'http-version', on: 'proxied', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', version: '1.0' },
      ],
    },
  ],
};

export const nginxMissingConnection: Lesson = {
  id: 'nginx-missing-connection',
  question: 'upgrade-token',
  title: "'upgrade' token not found in 'Connection' header",
  concept: 'Upgrade alone is not an upgrade request: Connection must name it, and nginx does not forward the browser\'s Connection.',
  answer:
    "The server received Upgrade: websocket but a Connection header without the token upgrade (nginx sends Connection: close unless told " +
    'otherwise). An Upgrade that Connection does not name is ignored, so the server refuses. Go\'s gorilla/websocket prints "websocket: the ' +
    "client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header\"; the fix is proxy_set_header Connection \"upgrade\";",
  shows: 'The server\'s own words for the refusal, the Connection header at each hop, and the one line that fixes it.',
  minutes: 3,
  steps: [
    {
      id: 'connect',
      title: 'Upgrade forwarded, Connection not',
      say: 'nginx-missing-connection has proxy_http_version 1.1 and proxy_set_header Upgrade $http_upgrade — and no Connection line. Connect: 426, and the page sees 1006.',
      do: via('reverse-proxy:nginx-missing-connection', 'broken'),
      point: [{ at: 'config' }],
      expect: [{ kind: 'status', status: 426 }, FAILED, handshakeError('Unexpected response code: 426')],
    },
    {
      id: 'the-words',
      title: 'What the server printed',
      say:
        "The echo server's 426 says why in its body: 'upgrade' token not found in 'Connection' header. Go's gorilla/websocket logs exactly " +
        "this (websocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header), and other stacks say the same in their words.",
      refs: ['RFC 6455 §4.2.1 (item 3)', 'RFC 9110 §7.8'],
      point: [{ at: 'hop', event: 'response', from: 'echo', to: 'reverse-proxy', seenBy: 'echo' }],
      expect: [
        { kind: 'status', status: 426, from: 'echo', to: 'reverse-proxy' },
        { kind: 'body', from: 'echo', to: 'reverse-proxy', seenBy: 'echo', includes: "'upgrade' token not found in 'Connection' header" },
      ],
    },
    {
      id: 'connection-close',
      title: 'Connection: close, from the proxy',
      say:
        "The browser sent Connection: Upgrade. nginx removed it — Connection is hop-by-hop — and, with nothing set, sent its own Connection: close. " +
        'Upgrade: websocket arrived, but a header that Connection does not name is not an upgrade request.',
      refs: ['RFC 9110 §7.6.1', 'RFC 9110 §7.8'],
      point: [
        { at: 'header', name: 'Connection', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy' },
        { at: 'finding', rule: 'refused-connection-not-upgrade' },
      ],
      expect: [
        { kind: 'header', event: 'request', from: 'browser', to: 'reverse-proxy', name: 'Connection', present: true, value: 'Upgrade' },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Connection', present: true, value: 'close' },
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: true, value: 'websocket' },
        { kind: 'http-version', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', version: '1.1' },
        { kind: 'finding', rule: 'refused-connection-not-upgrade', present: true },
      ],
    },
    {
      id: 'fix',
      title: 'Fix it: set Connection too',
      say: 'nginx-websocket adds proxy_set_header Connection "upgrade"; (a map on $http_upgrade is better when the location also serves plain requests). Upgrade and Connection arrive together, and the echo server upgrades.',
      refs: ['nginx docs: WebSocket proxying'],
      do: via('reverse-proxy:nginx-websocket', 'fixed'),
      fix: { broken: 'broken', fixed: 'fixed', change: 'proxy_set_header Connection "upgrade";' },
      point: [{ at: 'compare', left: 'broken', right: 'fixed' }],
      expect: [
        UPGRADED,
        { kind: 'header', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Connection', present: true, value: 'upgrade' },
      ],
    },
  ],
};
