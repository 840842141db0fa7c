// Each expected observation against a transcript: held, not (yet), or something only Chromium
// can tell. The player runs this in the page; the runner runs it in Node against the lab's store,
// so a lesson in the UI and a lesson under test judge reality the same way.
import { headerValues } from '../../../server/src/shared/headers.ts';
import type { CloseEvent, Connection, FrameEvent, LabEvent, OpenEvent, Party, RequestEvent, ResponseEvent } from '../../../server/src/transcript/types.ts';
import { assertNever } from '../../../server/src/shared/assert.ts';
import { describeExpectation } from './describe.ts';
import type { Alias, Expectation } from './types.ts';
import { fill, type LessonWorld } from './world.ts';

export type VerdictState = 'held' | 'not-yet' | 'only-chromium';

export interface Verdict {
  state: VerdictState;
  /** What the transcript shows, in words: shown beside the expectation, and in a failing test. */
  observed: string;
}

/** What the step itself knows that the transcript cannot: the DOMException its close() got. */
export interface StepOutcome {
  refused?: string;
}

/** A base64 payload as UTF-8 text (invalid bytes become U+FFFD). */
export function base64Text(base64: string): string {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

/** A frame's text as the endpoints read it: inflated when it was compressed. */
export function frameText(f: FrameEvent): string {
  return base64Text(f.inflated ?? f.payload);
}

interface LegQuery {
  from?: Party;
  to?: Party;
  seenBy?: Party;
}

const onLeg = (e: LabEvent, q: LegQuery) =>
  (q.from === undefined || e.from === q.from) && (q.to === undefined || e.to === q.to) && (q.seenBy === undefined || e.observer === q.seenBy);

export const requestsOf = (c: Connection, q: LegQuery = {}) => c.events.filter((e): e is RequestEvent => e.kind === 'request' && onLeg(e, q));
export const responsesOf = (c: Connection, q: LegQuery = {}) => c.events.filter((e): e is ResponseEvent => e.kind === 'response' && onLeg(e, q));
export const framesOf = (c: Connection, q: LegQuery = {}) => c.events.filter((e): e is FrameEvent => e.kind === 'frame' && onLeg(e, q));
export const browserCloseOf = (c: Connection) => c.events.find((e): e is CloseEvent => e.kind === 'close' && e.observer === 'browser');
export const browserOpenOf = (c: Connection) => c.events.find((e): e is OpenEvent => e.kind === 'open' && e.observer === 'browser');

const held = (ok: boolean, observed: string): Verdict => ({ state: ok ? 'held' : 'not-yet', observed });
const quote = (s: string) => `“${s}”`;

/** The request line and headers the echo server received, the key masked: new for every connection (RFC 6455 §4.1). */
export function echoRequestShape(c: Connection): string | undefined {
  const r = requestsOf(c, { seenBy: 'echo' })[0];
  if (!r) return undefined;
  const headers = r.headers.map(([n, v]) => `${n}: ${n.toLowerCase() === 'sec-websocket-key' ? '<new key>' : v}`);
  return [`${r.method} ${r.target.split('?')[0]} HTTP/${r.httpVersion}`, ...headers].join('\n');
}

function headVerdict(c: Connection, e: Extract<Expectation, { kind: 'header' }>, world: LessonWorld, alias: Alias): Verdict {
  const heads = e.event === 'request' ? requestsOf(c, e) : responsesOf(c, e);
  const head = heads[0];
  if (!head) return held(false, `no ${e.event} recorded from the ${e.from} to the ${e.to} yet`);
  const values = headerValues(head.headers, e.name);
  const observed = values.length === 0 ? `no ${e.name} header` : values.map((v) => `${e.name}: ${v}`).join(', ');
  if (!e.present) return held(values.length === 0, observed);
  const value = e.value === undefined ? undefined : fill(e.value, world, alias);
  const includes = e.includes === undefined ? undefined : fill(e.includes, world, alias);
  const ok = values.length > 0 && (value === undefined || values.includes(value)) && (includes === undefined || values.some((v) => v.toLowerCase().includes(includes.toLowerCase())));
  return held(ok, observed);
}

function framesVerdict(c: Connection, e: Extract<Expectation, { kind: 'frames' }>): Verdict {
  const frames = framesOf(c, e).filter((f) => e.opcode === undefined || f.opcode === e.opcode);
  const first = frames[0];
  const observed = first
    ? `${frames.length} ${frames.length === 1 ? 'frame' : 'frames'}, the first ${quote(frameText(first))} (RSV ${first.rsv1 ? 1 : 0}${first.rsv2 ? 1 : 0}${first.rsv3 ? 1 : 0}, ${first.masked ? 'masked' : 'unmasked'}${first.fin ? '' : ', FIN clear'})`
    : 'no such frames';
  let ok = e.count === undefined || frames.length === e.count;
  if (e.atLeast !== undefined) ok &&= frames.length >= e.atLeast;
  if (e.count === undefined && e.atLeast === undefined) ok &&= frames.length > 0;
  if (e.text !== undefined || e.rsv1 !== undefined || e.rsv2 !== undefined || e.masked !== undefined || e.fin !== undefined) {
    ok &&= first !== undefined;
    if (first) {
      if (e.text !== undefined) ok &&= frameText(first) === e.text;
      if (e.rsv1 !== undefined) ok &&= first.rsv1 === e.rsv1;
      if (e.rsv2 !== undefined) ok &&= first.rsv2 === e.rsv2;
      if (e.masked !== undefined) ok &&= first.masked === e.masked;
      if (e.fin !== undefined) ok &&= first.fin === e.fin;
    }
  }
  return held(ok, observed);
}

/** Judges one expectation. `alias` is the step's connection, used when the expectation names none. */
export function evaluate(e: Expectation, world: LessonWorld, alias: Alias | undefined, outcome: StepOutcome = {}): Verdict {
  if (e.kind === 'browser-refused') {
    return held(outcome.refused === e.error, outcome.refused ? `the browser threw ${outcome.refused}` : 'the browser threw nothing');
  }
  if (e.kind === 'same-at-echo') {
    const [a, b] = [world.connection(e.left), world.connection(e.right)];
    const [left, right] = [a && echoRequestShape(a), b && echoRequestShape(b)];
    if (!left || !right) return held(false, 'the echo server has not received both requests yet');
    return held(left === right, left === right ? 'the same request line and headers, but for the key' : 'the requests differ');
  }
  const on = e.on ?? alias;
  const c = on === undefined ? undefined : world.connection(on);
  if (!c) return { state: e.kind === 'chromium' ? 'only-chromium' : 'not-yet', observed: `${on ?? 'the connection'} has not been recorded yet` };
  switch (e.kind) {
    case 'status': {
      const responses = responsesOf(c, { from: e.from, to: e.to ?? 'browser' });
      if (responses.length === 0) return held(false, `no response to the ${e.to ?? 'browser'} yet`);
      return held(responses.some((r) => r.status === e.status), responses.map((r) => `${r.status} ${r.reason}`).join(', '));
    }
    case 'close': {
      const close = browserCloseOf(c);
      if (!close) return held(false, 'the browser has not reported a CloseEvent yet');
      const ok = close.code === e.code && close.wasClean === e.wasClean && (e.reason === undefined || close.reason === e.reason);
      return held(ok, `CloseEvent ${close.code} ${quote(close.reason)} wasClean ${close.wasClean}`);
    }
    case 'opened': {
      const open = browserOpenOf(c);
      const closed = browserCloseOf(c) !== undefined;
      if (e.opened) return held(open !== undefined, open ? 'the page saw open' : 'no open event yet');
      return held(open === undefined && closed, open ? 'the page saw open' : closed ? 'the socket closed without open' : 'not closed yet');
    }
    case 'still-open': {
      const open = browserOpenOf(c);
      const close = browserCloseOf(c);
      return held(open !== undefined && !close, close ? `closed: CloseEvent ${close.code}` : open ? 'open' : 'not open yet');
    }
    case 'header':
      return headVerdict(c, e, world, on!);
    case 'http-version': {
      const request = requestsOf(c, e)[0];
      if (!request) return held(false, `no request recorded from the ${e.from} to the ${e.to} yet`);
      return held(request.httpVersion === e.version, `${request.method} … HTTP/${request.httpVersion}`);
    }
    case 'finding': {
      const all = c.findings ?? [];
      const found = all.filter((f) => f.rule === e.rule);
      const says = e.says === undefined ? undefined : fill(e.says, world, on);
      const match = found.find((f) => says === undefined || `${f.summary} ${f.why}`.includes(says));
      const observed = found.length > 0 ? found.map((f) => f.summary).join(' ') : all.length > 0 ? `findings: ${all.map((f) => f.rule).join(', ')}` : 'no findings yet';
      return held(e.present ? match !== undefined : found.length === 0, observed);
    }
    case 'frames':
      return framesVerdict(c, e);
    case 'body': {
      const response = responsesOf(c, e)[0];
      if (!response) return held(false, `no response recorded from the ${e.from} to the ${e.to} yet`);
      const body = (response.body ?? '').trim();
      return held(body.includes(fill(e.includes, world, on)), body === '' ? 'no body' : `body ${quote(body)}`);
    }
    case 'same-head': {
      const heads = e.event === 'request' ? requestsOf(c, { from: e.from, to: e.to }) : responsesOf(c, { from: e.from, to: e.to });
      const [sent, received] = [heads.find((h) => h.observer === e.from), heads.find((h) => h.observer === e.to)];
      if (!sent || !received) return held(false, `the ${e.event} has not been recorded on both ends yet`);
      const same = JSON.stringify(sent.headers) === JSON.stringify(received.headers);
      return held(same, same ? 'the same headers, in the same order' : 'the headers differ');
    }
    case 'tunnel': {
      const connect = c.events.find((x) => x.kind === 'connect');
      const target = fill(e.target, world, on);
      return held(connect?.kind === 'connect' && connect.target === target, connect?.kind === 'connect' ? `CONNECT ${connect.target}` : 'no CONNECT recorded');
    }
    case 'tls-hello': {
      const hello = c.events.find((x) => x.kind === 'tls-client-hello');
      if (hello?.kind !== 'tls-client-hello') return held(false, 'no ClientHello recorded');
      const ok = (e.serverName === undefined || hello.serverName === fill(e.serverName, world, on)) && (e.alpn === undefined || hello.alpn.includes(e.alpn));
      return held(ok, `ClientHello: SNI ${hello.serverName ?? '(none)'}, ALPN ${hello.alpn.join(', ') || '(none)'}`);
    }
    case 'close-frame': {
      const closes = framesOf(c, { from: e.from, seenBy: e.seenBy ?? 'echo' }).filter((f) => f.opcode === 0x8);
      const observed = closes.length === 0 ? 'no close frame' : closes.map((f) => `close frame ${f.close?.code ?? '(no code)'} ${quote(f.close?.reason ?? '')}`).join(', ');
      return held(closes.some((f) => f.close?.code === e.code && (e.reason === undefined || f.close.reason === e.reason)), observed);
    }
    case 'hop-error': {
      const errors = c.events.filter((x) => x.kind === 'error' && x.code === e.code && onLeg(x, e));
      return held(errors.length > 0, errors.length > 0 ? `${e.code} recorded` : `no ${e.code}`);
    }
    case 'negotiated': {
      const open = browserOpenOf(c);
      if (!open) return held(false, 'no open event yet');
      const ok = (e.protocol === undefined || open.protocol === e.protocol) && (e.extensions === undefined || open.extensions === e.extensions);
      return held(ok, `protocol ${quote(open.protocol)}, extensions ${quote(open.extensions)}`);
    }
    case 'chromium':
      return { state: 'only-chromium', observed: 'Chromium prints it on the console (DevTools); a page cannot read it' };
    default:
      return assertNever(e, 'expectation');
  }
}

export { describeExpectation };
