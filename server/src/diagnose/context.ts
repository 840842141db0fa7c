// What the rules read: a connection's events, grouped once by observer and leg, so that each
// rule is a few lines of "what did this hop receive, what did it send, what came back".
import type { CloseEvent, Connection, ErrorEvent, Finding, FrameEvent, LabEvent, OpenEvent, Party, RequestEvent, ResponseEvent, Route } from '../transcript/types.ts';

/** One TCP connection between two parties, as one observer recorded it. */
export interface LegView {
  observer: Party;
  /** The party that sent the upgrade request on this leg (closer to the browser). */
  client: Party;
  /** The party that answered it (closer to the echo server). */
  server: Party;
  request?: RequestEvent;
  response?: ResponseEvent;
  /** Every frame either way, in order. */
  frames: FrameEvent[];
  /** Close frames by the direction they travelled. */
  closeFrames: { toServer: FrameEvent[]; toClient: FrameEvent[] };
  /** How the leg's TCP connection ended, as its observer recorded it. */
  close?: CloseEvent;
  errors: ErrorEvent[];
}

export interface BrowserView {
  open?: OpenEvent;
  close?: CloseEvent;
  errors: ErrorEvent[];
}

/** Where the lab listens, for fixes that name its ports; absent for a transcript read elsewhere. */
export interface LabAddress {
  /** The lab UI's port: the page the browser keeps direct. */
  uiPort: number;
  /** The forward proxy's port, when the lab runs one. */
  forwardProxyPort?: number;
}

export interface DiagnoseContext {
  connection: Connection;
  route: Route;
  lab?: LabAddress;
  preset?: string;
  /** The path the upgrade took: browser, then any proxy, then echo. */
  hops: Party[];
  /** Proxies on the path, browser side first. */
  proxies: Party[];
  events: readonly LabEvent[];
  byObserver: ReadonlyMap<Party, LabEvent[]>;
  legs: LegView[];
  /** The echo server's own view of its leg. */
  echo?: LegView;
  browser: BrowserView;
  /** The passive frame decoder's findings (and the HTTP head parser's), at any hop but the browser. */
  decodeErrors: ErrorEvent[];
  /** Errors `ws` raised inside the echo server (WS_ERR_…). */
  wsErrors: ErrorEvent[];
  /** Socket errors (ECONNRESET, EPIPE, …) at any hop but the browser. */
  socketErrors: ErrorEvent[];
  /** Findings of the primary rules, for fallback rules that speak only when nothing else explains a failure. */
  causes: Finding[];
  leg(observer: Party, client: Party, server: Party): LegView | undefined;
  /** The request `hop` received (recorded by `hop`). */
  received(hop: Party): RequestEvent | undefined;
  /** The request `hop` sent upstream (recorded by `hop`). */
  sent(hop: Party): RequestEvent | undefined;
  /** The response `hop` received from upstream (recorded by `hop`). */
  responseReceived(hop: Party): ResponseEvent | undefined;
  /** The response `hop` sent to its client (recorded by `hop`). */
  responseSent(hop: Party): ResponseEvent | undefined;
  /** The party in front of `hop` on the path (towards the browser). */
  before(hop: Party): Party | undefined;
  /** The leg between `hop` and the party in front of it, as recorded by either end. */
  inbound(hop: Party): LegView | undefined;
  /** The leg between `hop` and the party behind it, as recorded by either end. */
  outbound(hop: Party): LegView | undefined;
  /** Whether the echo server itself recorded the connection (else the server is one the lab does not run). */
  echoObserved: boolean;
  /** The client, as a sentence names it: "the browser" when a browser reported on the socket, else "the client". */
  clientName: string;
}

/** Order along the path: a leg's client is the party closer to the browser (the forward proxy may stand in front of a reverse proxy). */
const DISTANCE: Record<Party, number> = { browser: 0, 'forward-proxy': 1, 'reverse-proxy': 2, nginx: 2, echo: 3 };

const ROUTE_HOPS: Record<Route, Party[]> = {
  direct: ['browser', 'echo'],
  'reverse-proxy': ['browser', 'reverse-proxy', 'echo'],
  nginx: ['browser', 'nginx', 'echo'],
  'forward-proxy': ['browser', 'forward-proxy', 'echo'],
};

/** Codes the frame decoder, close-payload parser, inflater and head parsers record. */
export const DECODE_ERROR_CODES = new Set([
  'RESERVED_OPCODE',
  'FRAGMENTED_CONTROL_FRAME',
  'CONTROL_FRAME_TOO_LONG',
  'UNEXPECTED_CONTINUATION',
  'EXPECTED_CONTINUATION',
  'INVALID_UTF8',
  'INVALID_CLOSE_CODE',
  'INVALID_CLOSE_PAYLOAD',
  'INCOMPLETE_FRAME',
  'LENGTH_TOO_LARGE',
  // Not NOT_INFLATED or INFLATE_TOO_LARGE: those are the lab's own limits, not the sender's fault.
  'INFLATE_FAILED',
  'BAD_RESPONSE',
  'NOT_HTTP',
  'HEAD_TOO_LARGE',
  'BAD_REQUEST_LINE',
  'BAD_HEADER_LINE',
  'OBSOLETE_LINE_FOLDING',
]);

const legKey = (observer: Party, client: Party, server: Party) => `${observer}|${client}|${server}`;

function emptyLeg(observer: Party, client: Party, server: Party): LegView {
  return { observer, client, server, frames: [], closeFrames: { toServer: [], toClient: [] }, errors: [] };
}

/**
 * The path the upgrade took: the route's, and through the forward proxy, the lab's own proxy
 * at the tunnel's far end when one recorded the connection too (a browser whose proxy settings
 * send every connection through the forward proxy, a reverse-proxy route included).
 */
function pathOf(route: Route, events: readonly LabEvent[]): Party[] {
  const hops = ROUTE_HOPS[route];
  if (route !== 'forward-proxy') return hops;
  const behind = (['reverse-proxy', 'nginx'] as const).find((p) => events.some((e) => e.observer === p || e.from === p || e.to === p));
  return behind ? ['browser', 'forward-proxy', behind, 'echo'] : hops;
}

export function buildContext(connection: Connection, causes: Finding[] = [], lab?: LabAddress): DiagnoseContext {
  const events = [...connection.events].sort((a, b) => a.seq - b.seq);
  const byObserver = new Map<Party, LabEvent[]>();
  const legs = new Map<string, LegView>();
  const browser: BrowserView = { errors: [] };
  const decodeErrors: ErrorEvent[] = [];
  const wsErrors: ErrorEvent[] = [];
  const socketErrors: ErrorEvent[] = [];

  for (const event of events) {
    const seen = byObserver.get(event.observer) ?? [];
    seen.push(event);
    byObserver.set(event.observer, seen);
    if (event.observer === 'browser') {
      if (event.kind === 'open') browser.open ??= event;
      else if (event.kind === 'close') browser.close ??= event;
      else if (event.kind === 'error') browser.errors.push(event);
      continue;
    }
    const [client, server] = DISTANCE[event.from] <= DISTANCE[event.to] ? [event.from, event.to] : [event.to, event.from];
    const key = legKey(event.observer, client, server);
    let leg = legs.get(key);
    if (!leg) legs.set(key, (leg = emptyLeg(event.observer, client, server)));
    const toServer = event.to === server;
    switch (event.kind) {
      case 'request':
        leg.request ??= event;
        break;
      case 'response':
        leg.response ??= event;
        break;
      case 'frame':
        leg.frames.push(event);
        if (event.opcode === 0x8) (toServer ? leg.closeFrames.toServer : leg.closeFrames.toClient).push(event);
        break;
      case 'close':
        leg.close ??= event;
        break;
      case 'error':
        leg.errors.push(event);
        if (DECODE_ERROR_CODES.has(event.code)) decodeErrors.push(event);
        else if (event.code.startsWith('WS_ERR_')) wsErrors.push(event);
        else if (/^E[A-Z]+$/.test(event.code)) socketErrors.push(event);
        break;
      case 'connect':
      case 'open':
        break;
    }
  }

  const hops = pathOf(connection.route, events);
  const allLegs = [...legs.values()];
  const legOf = (observer: Party, client: Party, server: Party) => legs.get(legKey(observer, client, server));
  const before = (hop: Party): Party | undefined => {
    const i = hops.indexOf(hop);
    return i > 0 ? hops[i - 1] : undefined;
  };
  const after = (hop: Party): Party | undefined => {
    const i = hops.indexOf(hop);
    return i >= 0 ? hops[i + 1] : undefined;
  };
  // A leg as its own hop recorded it, else as the hop at its other end did: real nginx's
  // upstream leg is recorded by the echo server only, and is the same bytes.
  const inbound = (hop: Party) => {
    const client = before(hop);
    if (client === undefined) return undefined;
    // The forward proxy answers the CONNECT itself (its own leg, a status line and no headers),
    // then relays the tunnel unchanged: the handshake it passed on is on the tunnel's leg.
    const tunnel = hop === 'forward-proxy' ? legOf(hop, client, after(hop) ?? 'echo') : undefined;
    return tunnel ?? legOf(hop, client, hop) ?? legOf(client, client, hop);
  };
  const outbound = (hop: Party) => {
    const server = after(hop);
    return server === undefined ? undefined : (legOf(hop, hop, server) ?? legOf(server, hop, server));
  };
  // The echo server files its leg under whoever the route says is in front of it. When it
  // recorded nothing (a server the lab does not run, behind the forward proxy), the leg that
  // reached that server, as the hop in front of it saw it, stands for it.
  const echoClient = before('echo');
  const echo =
    (echoClient && legOf('echo', echoClient, 'echo')) ??
    allLegs.find((l) => l.observer === 'echo') ??
    allLegs.find((l) => l.server === 'echo' && l.request !== undefined);

  const context: DiagnoseContext = {
    connection,
    route: connection.route,
    hops,
    proxies: hops.filter((h) => h !== 'browser' && h !== 'echo'),
    events,
    byObserver,
    legs: allLegs,
    browser,
    decodeErrors,
    wsErrors,
    socketErrors,
    causes,
    leg: legOf,
    received: (hop) => (hop === 'echo' ? echo?.request : inbound(hop)?.request),
    sent: (hop) => outbound(hop)?.request,
    responseReceived: (hop) => outbound(hop)?.response,
    responseSent: (hop) => (hop === 'echo' ? echo?.response : inbound(hop)?.response),
    before,
    inbound,
    outbound,
    echoObserved: byObserver.has('echo'),
    clientName: byObserver.has('browser') ? 'the browser' : 'the client',
  };
  if (connection.preset !== undefined) context.preset = connection.preset;
  if (lab) context.lab = lab;
  if (echo) context.echo = echo;
  return context;
}
