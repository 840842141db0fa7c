import type { Lesson } from '../types.ts';
import { closedCleanly, FAILED, handshakeError, UPGRADED, via } from './kit.ts';

const STRICT_REFUSAL = 'strict: an HTTP/1.0 request cannot upgrade; RFC 6455 §4.1 requires HTTP/1.1 or higher';

export const strictMode: Lesson = {
  id: 'strict-mode',
  question: 'http10-upgrade',
  title: 'An HTTP/1.0 upgrade: lenient servers take it, strict ones do not',
  concept: 'Without proxy_http_version 1.1, nginx asks for the upgrade over HTTP/1.0, which has no upgrade.',
  answer:
    'nginx speaks HTTP/1.0 upstream unless the location says proxy_http_version 1.1. HTTP/1.0 has no Upgrade mechanism and RFC 6455 asks ' +
    'for HTTP/1.1: Node\'s ws upgrades it anyway, a strict server answers 400. Add proxy_http_version 1.1; and every server agrees.',
  shows: 'The same proxy in front of a lenient and a strict echo server, the HTTP/1.0 request line, the 400, and the fix.',
  minutes: 3,
  steps: [
    {
      id: 'lenient',
      title: 'nginx-seed: HTTP/1.0 upstream, and it works',
      say: 'nginx-seed sets Upgrade and Connection but not proxy_http_version 1.1. The echo server (ws) upgrades the HTTP/1.0 request anyway; the lab notes that only leniency made it work.',
      refs: ['RFC 6455 §4.1', 'RFC 9110 §7.8'],
      do: via('reverse-proxy:nginx-seed', 'lenient'),
      point: [{ at: 'hop', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo' }],
      expect: [
        UPGRADED,
        { kind: 'http-version', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', version: '1.0' },
        {
          kind: 'finding',
          rule: 'proxy-http10-upgrade',
          present: true,
          says: 'The reverse proxy forwarded the upgrade as HTTP/1.0; the echo server upgraded it anyway, but RFC 6455 §4.1 requires HTTP/1.1.',
        },
      ],
    },
    {
      id: 'strict',
      title: 'strict=1: the same request, refused with 400',
      say: 'Close that one, and connect again with strict=1: the echo server now refuses what RFC 6455 §4 forbids, as many non-Node servers do. The browser sent HTTP/1.1; the proxy made it 1.0.',
      refs: ['RFC 6455 §4.1', 'RFC 6455 §4.2.1'],
      do: [{ do: 'close', code: 1000, reason: 'done', on: 'lenient' }, ...via('reverse-proxy:nginx-seed', 'strict', { strict: true })],
      point: [{ at: 'finding', rule: 'refused-http10-strict' }, { at: 'hop', event: 'response', from: 'echo', to: 'reverse-proxy', seenBy: 'echo' }],
      expect: [
        { kind: 'close', on: 'lenient', code: 1000, reason: 'done', wasClean: true },
        { kind: 'status', status: 400 },
        { kind: 'status', status: 400, from: 'echo', to: 'reverse-proxy' },
        { kind: 'http-version', from: 'browser', to: 'reverse-proxy', version: '1.1' },
        { kind: 'http-version', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', version: '1.0' },
        { kind: 'body', from: 'echo', to: 'reverse-proxy', seenBy: 'echo', includes: STRICT_REFUSAL },
        {
          kind: 'finding',
          rule: 'refused-http10-strict',
          present: true,
          says: 'The reverse proxy forwarded the upgrade as HTTP/1.0, so the strict echo server answered 400 and the browser reports 1006.',
        },
        FAILED,
        handshakeError('Unexpected response code: 400'),
      ],
    },
    {
      id: 'fix',
      title: 'Fix it: proxy_http_version 1.1',
      say: 'nginx-websocket is the same location with proxy_http_version 1.1. The strict server gets HTTP/1.1 and upgrades.',
      refs: ['nginx docs: proxy_http_version'],
      do: via('reverse-proxy:nginx-websocket', 'fixed', { strict: true }),
      fix: { broken: 'strict', fixed: 'fixed', change: 'proxy_http_version 1.1;' },
      point: [{ at: 'compare', left: 'strict', right: 'fixed' }],
      expect: [UPGRADED, { kind: 'http-version', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', version: '1.1' }],
    },
  ],
};

export const realNginx: Lesson = {
  id: 'real-nginx',
  question: 'fails-behind-nginx',
  title: 'Real nginx does the same',
  concept: 'The bundled proxy\'s presets behave as nginx 1.22 does with the same location: checked against real nginx, side by side.',
  answer:
    'Through real nginx running the same location blocks, the echo server receives the same request as through the bundled proxy (only ' +
    'the new Sec-WebSocket-Key differs), and the failures are the same: 426 for proxy_pass alone, 400 from a strict server over HTTP/1.0, ' +
    'a cut after proxy_read_timeout, kept open by a heartbeat.',
  shows: 'Each preset through the bundled proxy and through real nginx, compared at the echo server.',
  minutes: 6,
  needs: ['nginx'],
  steps: [
    {
      id: 'recipe',
      title: 'The recipe, both ways',
      say: 'Through the bundled proxy, then through real nginx: connect, say hello, close. nginx reports nothing itself, so the lab taps the browser\'s leg in front of it and the echo server records nginx\'s leg.',
      do: [
        ...via('reverse-proxy:nginx-websocket', 'bundled'),
        { do: 'send', text: 'hello from the bundled proxy' },
        { do: 'close', code: 1000, reason: 'done' },
        ...via('nginx:nginx-websocket', 'nginx'),
        { do: 'send', text: 'hello from nginx' },
        { do: 'close', code: 1000, reason: 'done' },
      ],
      point: [{ at: 'hop', on: 'nginx', event: 'request', from: 'nginx', to: 'echo', seenBy: 'echo' }],
      expect: [
        { kind: 'close', on: 'bundled', code: 1000, reason: 'done', wasClean: true },
        { kind: 'close', on: 'nginx', code: 1000, reason: 'done', wasClean: true },
        { kind: 'http-version', on: 'nginx', from: 'browser', to: 'nginx', seenBy: 'nginx', version: '1.1' },
        { kind: 'http-version', on: 'nginx', from: 'nginx', to: 'echo', seenBy: 'echo', version: '1.1' },
      ],
    },
    {
      id: 'recipe-compared',
      title: 'The same request at the echo server',
      say: 'Side by side, the echo server received the same request line and the same headers in the same order from both; only Sec-WebSocket-Key is new for every connection.',
      refs: ['RFC 6455 §4.1'],
      point: [{ at: 'compare', left: 'bundled', right: 'nginx' }],
      expect: [{ kind: 'same-at-echo', left: 'bundled', right: 'nginx' }],
    },
    {
      id: 'default',
      title: 'proxy_pass alone, both ways',
      say: 'nginx-default through both: 426 from the echo server, relayed by each proxy, and 1006 in the browser. Real nginx relays the refusal with its own Server and Date headers.',
      refs: ['RFC 9110 §7.6.1'],
      do: [...via('reverse-proxy:nginx-default', 'bundled-default'), ...via('nginx:nginx-default', 'nginx-default')],
      point: [{ at: 'compare', left: 'bundled-default', right: 'nginx-default' }],
      expect: [
        { kind: 'status', on: 'bundled-default', status: 426 },
        { kind: 'status', on: 'nginx-default', status: 426 },
        { kind: 'close', on: 'nginx-default', code: 1006, wasClean: false },
        { kind: 'same-at-echo', left: 'bundled-default', right: 'nginx-default' },
        { kind: 'chromium', on: 'nginx-default', says: 'Error during WebSocket handshake: Unexpected response code: 426' },
      ],
    },
    {
      id: 'seed-lenient',
      title: 'nginx-seed through nginx: HTTP/1.0 upstream',
      say: 'Real nginx without proxy_http_version 1.1 sends the upgrade upstream as HTTP/1.0, as the bundled preset does; ws accepts it.',
      refs: ['RFC 6455 §4.1'],
      do: [...via('nginx:nginx-seed', 'seed'), { do: 'close', code: 1000, reason: 'done' }],
      point: [{ at: 'hop', event: 'request', from: 'nginx', to: 'echo', seenBy: 'echo' }],
      expect: [
        UPGRADED,
        { kind: 'http-version', from: 'nginx', to: 'echo', seenBy: 'echo', version: '1.0' },
        { kind: 'finding', rule: 'proxy-http10-upgrade', present: true, says: 'nginx forwarded the upgrade as HTTP/1.0; the echo server upgraded it anyway, but RFC 6455 §4.1 requires HTTP/1.1.' },
        closedCleanly(1000, 'done'),
      ],
    },
    {
      id: 'seed-strict',
      title: 'A strict server behind nginx: 400',
      say: 'With strict=1 the echo server refuses the HTTP/1.0 upgrade with 400, nginx relays it, and the browser reports 1006.',
      refs: ['RFC 6455 §4.1'],
      do: via('nginx:nginx-seed', 'seed-strict', { strict: true }),
      point: [{ at: 'finding', rule: 'refused-http10-strict' }],
      expect: [
        { kind: 'status', status: 400 },
        { kind: 'status', status: 400, from: 'nginx', to: 'browser' },
        { kind: 'http-version', from: 'browser', to: 'nginx', seenBy: 'nginx', version: '1.1' },
        { kind: 'body', from: 'echo', to: 'nginx', seenBy: 'echo', includes: STRICT_REFUSAL },
        { kind: 'finding', rule: 'refused-http10-strict', present: true, says: 'nginx forwarded the upgrade as HTTP/1.0, so the strict echo server answered 400 and the browser reports 1006.' },
        handshakeError('Unexpected response code: 400'),
      ],
    },
    {
      id: 'idle',
      title: 'proxy_read_timeout, both ways',
      say: 'Two idle connections through nginx-idle-timeout, one per proxy. After {idle} ms without a byte either way, each proxy cuts its tunnel without a close frame: 1006 on both.',
      refs: ['RFC 6455 §7.1.5', 'nginx docs: proxy_read_timeout'],
      do: [
        ...via('reverse-proxy:nginx-idle-timeout', 'bundled-idle'),
        ...via('nginx:nginx-idle-timeout', 'nginx-idle'),
        { do: 'wait', until: 'closed', on: 'bundled-idle', within: { idle: 3 } },
        { do: 'wait', until: 'closed', on: 'nginx-idle', within: { idle: 3 } },
      ],
      point: [{ at: 'compare', left: 'bundled-idle', right: 'nginx-idle' }],
      expect: [
        { kind: 'close', on: 'bundled-idle', code: 1006, wasClean: false },
        { kind: 'close', on: 'nginx-idle', code: 1006, wasClean: false },
        { kind: 'same-at-echo', left: 'bundled-idle', right: 'nginx-idle' },
      ],
    },
    {
      id: 'heartbeat',
      title: 'A heartbeat keeps nginx\'s tunnel open',
      say: 'Now the echo server pings three times per timeout (heartbeat=). Each ping, and the browser\'s automatic pong, is traffic: nginx keeps the tunnel open past twice the timeout.',
      refs: ['RFC 6455 §5.5.2', 'RFC 6455 §5.5.3'],
      do: [...via('nginx:nginx-idle-timeout', 'nginx-heartbeat', { heartbeat: { idle: 1 / 3 } }), { do: 'wait', ms: { idle: 2 } }],
      point: [{ at: 'hop', event: 'frames', from: 'echo', to: 'nginx', seenBy: 'echo' }],
      expect: [{ kind: 'still-open' }, { kind: 'frames', from: 'echo', to: 'nginx', seenBy: 'echo', opcode: 9, atLeast: 4 }],
    },
    {
      id: 'heartbeat-close',
      title: 'Close it: clean',
      say: 'Closed from the page, the close frames pass through nginx like any frame.',
      do: [{ do: 'close', code: 1000, reason: 'done' }],
      expect: [closedCleanly(1000, 'done')],
    },
  ],
};
