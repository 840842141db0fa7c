import type { CloseEvent, Connection, ErrorEvent, FrameEvent, LabEvent, OpenEvent, Party, Route, TlsClientHelloEvent, TunnelBytesEvent, H2ResetEvent } from '../../../../server/src/transcript/types.ts';
import { assertNever } from '../../../../server/src/shared/assert.ts';
import { httpVersion, PARTY_LABEL, PARTY_ORDER } from '../../components/format.ts';
import type { HeadEvent } from '../handshake/HeadBlock.tsx';
import { opcodeName } from '../frames/frame-format.ts';

export { PARTY_ORDER };

const ROUTE_HOP: Record<Route, Party | undefined> = {
  direct: undefined,
  'reverse-proxy': 'reverse-proxy',
  nginx: 'nginx',
  'forward-proxy': 'forward-proxy',
};

interface Leg {
  id: string;
  from: Party;
  to: Party;
  observer: Party;
}

/** One arrow of the diagram: an HTTP head, a run of frames on one leg, or a note (open, close, error). */
export type Step =
  | (Leg & { kind: 'head'; event: HeadEvent })
  | (Leg & { kind: 'frames'; frames: FrameEvent[] })
  | (Leg & { kind: 'note'; event: OpenEvent | CloseEvent | ErrorEvent | TlsClientHelloEvent | TunnelBytesEvent | H2ResetEvent });

export interface Sequence {
  parties: Party[];
  steps: Step[];
}

/** The columns: browser and echo always, the route's hop, and anyone else an event names. */
export function partiesOf(connection: Connection): Party[] {
  const present = new Set<Party>(['browser', 'echo']);
  const hop = ROUTE_HOP[connection.route];
  if (hop) present.add(hop);
  for (const e of connection.events) present.add(e.from).add(e.to).add(e.observer);
  return PARTY_ORDER.filter((p) => present.has(p));
}

function legKey(e: LabEvent): string {
  return `${e.observer}:${e.from}>${e.to}`;
}

/**
 * The connection as a sequence of arrows, in the order the hops observed them. Frames between
 * two other events collapse into one arrow per leg and observer ("N frames"): a run.
 */
export function buildSequence(connection: Connection): Sequence {
  const steps: Step[] = [];
  let runs = new Map<string, Extract<Step, { kind: 'frames' }>>();
  for (const e of connection.events) {
    const leg = { id: `${e.kind}-${e.seq}`, from: e.from, to: e.to, observer: e.observer };
    switch (e.kind) {
      case 'frame': {
        const run = runs.get(legKey(e));
        if (run) run.frames.push(e);
        else {
          const step = { ...leg, kind: 'frames' as const, frames: [e] };
          runs.set(legKey(e), step);
          steps.push(step);
        }
        break;
      }
      case 'request':
      case 'response':
      case 'connect':
        runs = new Map();
        steps.push({ ...leg, kind: 'head', event: e });
        break;
      case 'open':
        // The browser's open report races the first frames; it does not end a run.
        steps.push({ ...leg, kind: 'note', event: e });
        break;
      case 'close':
      case 'error':
      case 'tls-client-hello':
      case 'tunnel-bytes':
      case 'h2-reset':
        runs = new Map();
        steps.push({ ...leg, kind: 'note', event: e });
        break;
      default:
        assertNever(e, 'event');
    }
  }
  return { parties: partiesOf(connection), steps };
}

/** A TLS ClientHello as the proxy read it: the name and protocols, all it can see. */
export function helloTitle(e: TlsClientHelloEvent): string {
  if (e.error !== undefined && e.alpn.length === 0 && e.serverName === undefined) return `TLS ClientHello (${e.error})`;
  return `TLS ClientHello · SNI ${e.serverName ?? '(none: an IP address)'} · ALPN ${e.alpn.join(', ') || '(none)'}`;
}

function pathOnly(target: string): string {
  return target.split('?')[0] ?? target;
}

function frameKinds(frames: FrameEvent[]): string {
  const counts = new Map<string, number>();
  for (const f of frames) counts.set(opcodeName(f.opcode), (counts.get(opcodeName(f.opcode)) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n === 1 ? name : `${name} ×${n}`)).join(', ');
}

/** What the arrow says: a start line, "N frames", or the note. */
export function stepTitle(step: Step): string {
  switch (step.kind) {
    case 'head': {
      const e = step.event;
      if (e.kind === 'request') return `${e.method} ${pathOnly(e.target)} ${httpVersion(e.httpVersion)}`;
      if (e.kind === 'response') return `${e.status} ${e.reason}`;
      return `CONNECT ${e.target}`;
    }
    case 'frames':
      return `${step.frames.length} ${step.frames.length === 1 ? 'frame' : 'frames'} (${frameKinds(step.frames)})`;
    case 'note': {
      const e = step.event;
      if (e.kind === 'open') return 'open event';
      if (e.kind === 'close') return `close ${e.code} wasClean ${e.wasClean}`;
      if (e.kind === 'tls-client-hello') return helloTitle(e);
      if (e.kind === 'h2-reset') return `${e.frame} ${e.errorName} (stream ${e.streamId})`;
      if (e.kind === 'tunnel-bytes') return `tunnel closed: ${e.clientToServer} bytes →, ${e.serverToClient} bytes ←, unread`;
      return `error ${e.code}`;
    }
    default:
      return assertNever(step, 'step');
  }
}

/** Which way and who saw it: "request · browser → reverse proxy · seen by the reverse proxy". */
export function stepMeta(step: Step): string {
  const what = step.kind === 'frames' ? 'frames' : step.event.kind;
  return `${what} · ${PARTY_LABEL[step.from]} → ${PARTY_LABEL[step.to]} · seen by the ${PARTY_LABEL[step.observer]}`;
}
