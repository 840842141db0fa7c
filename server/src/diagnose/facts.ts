// Small facts rules share: how a party is named in a sentence, what a header list says,
// which proxy changed what between the request it received and the one it sent.
import type { HeaderList, Party, RequestEvent, ResponseEvent } from '../transcript/types.ts';
import { closeCodeName } from '../shared/close-codes.ts';
import { headerValue, headerValues } from '../wire/http-head.ts';
import { connectionTokens } from '../shared/headers.ts';
import type { DiagnoseContext } from './context.ts';

const NAMES: Record<Party, string> = {
  browser: 'the browser',
  'reverse-proxy': 'the reverse proxy',
  nginx: 'nginx',
  'forward-proxy': 'the forward proxy',
  echo: 'the echo server',
};

/**
 * "the reverse proxy", "nginx", … for the middle of a sentence, as this connection saw them:
 * a client that reported no browser events is "the client" (wscat, a test), and a server the
 * echo server did not record is the one behind the last proxy, not the lab's echo server.
 */
export function nameOf(ctx: Pick<DiagnoseContext, 'clientName' | 'echoObserved' | 'proxies' | 'route' | 'connection'>, party: Party): string {
  if (party === 'browser') return ctx.clientName;
  // `--upstream`: the server end is the user's own server, not the lab's echo server.
  if (party === 'echo' && ctx.connection.upstream) return `upstream ${ctx.connection.upstream.name}`;
  // The forward proxy tunnels to whatever the client names; the reverse proxies' upstream is the echo server.
  if (party === 'echo' && !ctx.echoObserved && ctx.route === 'forward-proxy') return 'the server behind the forward proxy';
  return NAMES[party];
}

/** The same, for the start of a sentence ("nginx" keeps its own spelling). */
export function NameOf(ctx: Pick<DiagnoseContext, 'clientName' | 'echoObserved' | 'proxies' | 'route' | 'connection'>, party: Party): string {
  const name = nameOf(ctx, party);
  return party === 'nginx' ? name : name.charAt(0).toUpperCase() + name.slice(1);
}

/** Comma-separated tokens of every value of a header, lower-cased. */
export function tokens(headers: HeaderList, name: string): string[] {
  return headerValues(headers, name)
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
}

export const hasHeader = (headers: HeaderList, name: string) => headerValue(headers, name) !== undefined;
export const upgradesToWebSocket = (headers: HeaderList) => tokens(headers, 'upgrade').includes('websocket');
export const connectionHasUpgrade = (headers: HeaderList) => connectionTokens(headers).includes('upgrade');

/** Subprotocols a request offered, in order, as sent. */
export function offeredProtocols(headers: HeaderList): string[] {
  return headerValues(headers, 'sec-websocket-protocol')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** `Name: value` as it would appear on the wire, for quoting in a sentence; `no Name header` when absent (pass the canonical name). */
export function quoteHeader(headers: HeaderList, name: string): string {
  const values = headerValues(headers, name);
  const wire = headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[0] ?? name;
  return values.length === 0 ? `no ${name} header` : `${wire}: ${values.join(', ')}`;
}

/** `the browser reports 1006` — what the page saw, when the UI reported it. */
export function browserSaw(ctx: DiagnoseContext): string | undefined {
  const close = ctx.browser.close;
  return close === undefined ? undefined : `the browser reports ${close.code}`;
}

/** " and the browser reports N" (or another joiner) for summaries that end in the visible symptom; empty without a browser. */
export function andBrowser(ctx: DiagnoseContext, joiner = ' and '): string {
  const saw = browserSaw(ctx);
  return saw === undefined ? '' : `${joiner}${saw}`;
}

/** How a client met a frame it must refuse: what it did when a browser reported, else what it must do. */
export function clientFailed(ctx: DiagnoseContext): string {
  return ctx.browser.close === undefined ? 'and a client must fail the connection on it' : 'so the client failed the connection';
}

/** `1006 (abnormal closure: no close frame)`. */
export function describeCode(code: number): string {
  return `${code} (${closeCodeName(code).replace(/ \((.*)\)$/, ': $1')})`;
}

export interface ProxyChange {
  proxy: Party;
  received: RequestEvent;
  sent: RequestEvent;
}

/**
 * The first proxy on the path whose received request had a property its forwarded request
 * lacks: where a header was dropped or rewritten. Undefined when no proxy recorded both.
 */
export function proxyLost(ctx: DiagnoseContext, had: (request: RequestEvent) => boolean): ProxyChange | undefined {
  for (const proxy of ctx.proxies) {
    const received = ctx.received(proxy);
    const sent = ctx.sent(proxy);
    if (received && sent && had(received) && !had(sent)) return { proxy, received, sent };
  }
  return undefined;
}

/** HTTP version below 1.1: `1.0`, `0.9`. */
export function belowHttp11(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < 1 || (major === 1 && minor < 1);
}

/**
 * Walks the path from the echo server towards the browser and returns the first hop whose
 * 101 breaks `ok` against the request that hop received: the hop that introduced a fault,
 * not every hop that relayed it.
 */
export function firstBad101(
  ctx: DiagnoseContext,
  ok: (response: ResponseEvent, request: RequestEvent) => boolean,
): { hop: Party; request: RequestEvent; response: ResponseEvent } | undefined {
  for (const hop of [...ctx.hops].reverse()) {
    if (hop === 'browser') break;
    const response = ctx.responseSent(hop);
    const request = ctx.received(hop);
    if (!response || !request || response.status !== 101) continue;
    if (!ok(response, request)) return { hop, request, response };
  }
  return undefined;
}

/**
 * The response the browser got, and the hop that produced it: followed from the browser's
 * side, through each proxy that relayed the same status, to the hop that decided it.
 */
export function answeringHop(ctx: DiagnoseContext): { hop: Party; response: ResponseEvent } | undefined {
  let answer: { hop: Party; response: ResponseEvent } | undefined;
  for (const hop of ctx.hops) {
    if (hop === 'browser') continue;
    const response = ctx.responseSent(hop);
    if (!response) {
      // A hop that recorded nothing (an untapped proxy) is looked through, not taken as the answer.
      if (ctx.byObserver.has(hop)) return answer;
      continue;
    }
    answer = { hop, response };
    if (ctx.responseReceived(hop)?.status !== response.status) return answer;
  }
  return answer;
}

/** milliseconds between two ISO times */
export function msBetween(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
