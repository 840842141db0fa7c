import type { Lesson } from '../types.ts';
import { closedCleanly, FAILED, via } from './kit.ts';

const IDLE = 'reverse-proxy:nginx-idle-timeout' as const;

export const idleTimeout: Lesson = {
  id: 'idle-timeout',
  question: 'drops-when-idle',
  title: 'proxy_read_timeout cuts an idle tunnel',
  concept: 'A proxy closes a tunnel that carried nothing for proxy_read_timeout (60 s in nginx), without a close frame.',
  answer:
    'nginx cuts an upgraded connection that carried no data for proxy_read_timeout — 60 seconds unless set — and sends no close frame, so ' +
    'the browser reports 1006, wasClean false. Keep traffic flowing (the server pings more often than the timeout) or raise the timeout.',
  shows: 'An idle connection cut at the timeout with no close frame, the proxy\'s note of why, and a heartbeat that keeps it open.',
  minutes: 3,
  steps: [
    {
      id: 'choose',
      title: 'The recipe, with proxy_read_timeout',
      say: 'nginx-idle-timeout is the WebSocket recipe with proxy_read_timeout set to {idle} ms in this lab, so you do not have to wait nginx\'s default 60 s.',
      refs: ['nginx docs: proxy_read_timeout'],
      do: [{ do: 'choose', route: IDLE }],
    },
    {
      id: 'cut',
      title: 'Connect, send nothing: cut',
      say:
        'The connection opens, nobody says anything, and after {idle} ms the proxy closes both sockets. No close frame travels, so the ' +
        'page reports 1006 and wasClean false — what users see as “it drops after a minute”.',
      refs: ['RFC 6455 §7.1.5', 'RFC 6455 §7.4.1'],
      do: [{ do: 'connect', as: 'idle' }, { do: 'wait', until: 'closed', within: { idle: 3 } }],
      point: [{ at: 'hop', event: 'error', from: 'reverse-proxy', to: 'browser', seenBy: 'reverse-proxy' }, { at: 'finding', rule: 'proxy-idle-timeout' }],
      expect: [
        { kind: 'opened', opened: true },
        FAILED,
        { kind: 'hop-error', code: 'PROXY_READ_TIMEOUT', from: 'reverse-proxy', to: 'browser' },
        { kind: 'hop-error', code: 'PROXY_READ_TIMEOUT', from: 'echo', to: 'reverse-proxy' },
        { kind: 'frames', count: 0 },
        { kind: 'finding', rule: 'proxy-idle-timeout', present: true },
      ],
    },
    {
      id: 'fix',
      title: 'Fix it: a heartbeat',
      say:
        'Same preset, but the echo server pings three times per timeout (heartbeat= in the URL). Browsers answer every ping with a pong by ' +
        'themselves, so data flows both ways and the tunnel outlives twice the timeout. A page cannot send pings: the heartbeat belongs on the server (or in app messages).',
      refs: ['RFC 6455 §5.5.2', 'RFC 6455 §5.5.3'],
      do: [...via(IDLE, 'heartbeat', { heartbeat: { idle: 1 / 3 } }), { do: 'wait', ms: { idle: 2 } }],
      fix: { broken: 'idle', fixed: 'heartbeat', change: 'heartbeat= shorter than proxy_read_timeout (or proxy_read_timeout longer than the heartbeat)' },
      point: [{ at: 'compare', left: 'idle', right: 'heartbeat' }, { at: 'hop', on: 'heartbeat', event: 'frames', from: 'reverse-proxy', to: 'browser', seenBy: 'reverse-proxy' }],
      expect: [
        { kind: 'still-open' },
        { kind: 'frames', from: 'reverse-proxy', to: 'browser', opcode: 9, atLeast: 4 },
        { kind: 'frames', from: 'browser', to: 'reverse-proxy', opcode: 10, atLeast: 3 },
      ],
    },
    {
      id: 'close',
      title: 'Close it yourself: clean',
      say: 'It ends when someone decides, with a closing handshake: 1000, wasClean true.',
      do: [{ do: 'close', code: 1000, reason: 'done' }],
      expect: [closedCleanly(1000, 'done')],
    },
  ],
};

export const heartbeatVsIdle: Lesson = {
  id: 'heartbeat-vs-idle',
  question: 'drops-when-idle',
  title: 'Heartbeat vs idle timeout',
  concept: 'A heartbeat helps only when it is shorter than every idle timeout on the way.',
  answer:
    'A heartbeat keeps a tunnel open only if it beats more often than the shortest idle timeout between the two ends (nginx\'s ' +
    'proxy_read_timeout, a load balancer\'s idle timeout). A 30 s ping behind a 20 s timeout is cut before its first ping.',
  shows: 'A heartbeat slower than proxy_read_timeout cut before its first ping, and a faster one keeping the same route open.',
  minutes: 3,
  steps: [
    {
      id: 'too-slow',
      title: 'A heartbeat slower than the timeout',
      say: 'The echo server pings every two timeouts. The proxy cuts the silent tunnel after {idle} ms, before the first ping was due: no ping ever reaches the browser.',
      refs: ['nginx docs: proxy_read_timeout', 'RFC 6455 §5.5.2'],
      do: [...via(IDLE, 'too-slow', { heartbeat: { idle: 2 } }), { do: 'wait', until: 'closed', within: { idle: 3 } }],
      point: [{ at: 'hop', event: 'error', from: 'reverse-proxy', to: 'browser', seenBy: 'reverse-proxy' }],
      expect: [FAILED, { kind: 'frames', opcode: 9, count: 0 }, { kind: 'hop-error', code: 'PROXY_READ_TIMEOUT', from: 'reverse-proxy', to: 'browser' }],
    },
    {
      id: 'fix',
      title: 'Fix it: beat faster than the timeout',
      say: 'Pings every half timeout: each one, and the pong the browser answers with, resets the proxy\'s clock. Twice the timeout later it is still open.',
      refs: ['RFC 6455 §5.5.3'],
      do: [...via(IDLE, 'fast', { heartbeat: { idle: 1 / 2 } }), { do: 'wait', ms: { idle: 2 } }],
      fix: { broken: 'too-slow', fixed: 'fast', change: 'a heartbeat shorter than proxy_read_timeout' },
      point: [{ at: 'compare', left: 'too-slow', right: 'fast' }],
      expect: [{ kind: 'still-open' }, { kind: 'frames', from: 'reverse-proxy', to: 'browser', opcode: 9, atLeast: 3 }],
    },
    {
      id: 'close',
      title: 'Close it: clean',
      say: 'Closed by the page with a closing handshake: 1000, wasClean true.',
      do: [{ do: 'close', code: 1000, reason: 'done' }],
      expect: [closedCleanly(1000, 'done')],
    },
  ],
};
