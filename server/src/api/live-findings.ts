// Findings and counts for the live stream, kept per connection as its state changes, so the
// page never refetches a whole transcript to learn them. One watcher per watched session
// however many streams show it: a change marks its connection, and shortly after, that
// connection alone is diagnosed again (in the worker when large, fed in slices that never hold
// the event loop) and its findings sent when they differ from the last ones sent.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TranscriptSnapshot, TranscriptStore } from '../transcript/store.ts';
import type { Dropped, LabEvent, LiveEvent, Party } from '../transcript/types.ts';
import type { Findings } from './findings.ts';
import type { LiveCounts, LiveFindings } from './types.ts';

/** Changes that come together (a handshake's request and response, a close's two legs) are diagnosed once. */
export const SETTLE_MS = 60;
/** How often a watched session's dropped counts are looked at (drops raise no live event). */
export const COUNTS_MS = 1000;
/** Connections a watcher remembers (signals, findings sent); past it the oldest are forgotten. */
const MAX_REMEMBERED = 5000;
/** Events handed to the diagnose worker per turn of the event loop. */
const SLICE_EVENTS = 2000;

export interface LiveSink {
  findings(findings: LiveFindings): void;
  counts(counts: LiveCounts): void;
}

/** Order along the path, browser first: a frame whose `to` is further along travels towards the server. */
const DISTANCE: Record<Party, number> = { browser: 0, 'forward-proxy': 1, 'reverse-proxy': 2, nginx: 2, echo: 3 };

/**
 * What in a frame can change a diagnosis, per leg and direction: a close frame always; else a
 * kind of frame not seen there before (a reserved opcode or RSV bit, a mask the wrong way, a
 * control frame fragmented or too long). Data frames as they should be change nothing. Every
 * other event (handshake, open, close, error) always can.
 */
function frameSignals(event: LabEvent): string[] | 'always' {
  if (event.kind !== 'frame') return 'always';
  if (event.opcode === 0x8) return 'always';
  const leg = `${event.observer}|${event.from}|${event.to}|`;
  const signals: string[] = [];
  // A mask is news only the wrong way: masked towards the client, unmasked towards the server.
  const toServer = DISTANCE[event.to] > DISTANCE[event.from];
  if (event.masked !== toServer) signals.push(`${leg}${event.masked ? 'masked' : 'unmasked'}`);
  if ((event.opcode >= 0x3 && event.opcode <= 0x7) || event.opcode >= 0xb) signals.push(`${leg}opcode${event.opcode}`);
  if (event.opcode >= 0x8 && (!event.fin || event.length > 125)) signals.push(`${leg}bad-control`);
  if (event.rsv1) signals.push(`${leg}rsv1`);
  if (event.rsv2) signals.push(`${leg}rsv2`);
  if (event.rsv3) signals.push(`${leg}rsv3`);
  return signals;
}

/** Bounds a per-connection map: the connections a session keeps are bounded, the ids it ever saw are not. */
function remember(map: Map<string, unknown>): void {
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as string);
}

interface Watched {
  session: string;
  sinks: Set<LiveSink>;
  unsubscribe: () => void;
  /** Connections whose findings may have changed since last diagnosed. */
  dirty: Set<string>;
  /** Frame signals seen per connection. */
  signals: Map<string, Set<string>>;
  /** The findings last sent per connection, as JSON. */
  sent: Map<string, string>;
  dropped: Dropped;
  timer: ReturnType<typeof setTimeout> | undefined;
  counts: ReturnType<typeof setInterval>;
  running: boolean;
}

export class LiveFindingsHub {
  private readonly sessions = new Map<string, Watched>();

  constructor(
    private readonly store: TranscriptStore,
    private readonly findings: Findings,
  ) {}

  /** Sends `sink` the session's findings and counts as they change, until the returned function is called. */
  watch(session: string, sink: LiveSink): () => void {
    let watched = this.sessions.get(session);
    if (!watched) {
      const w: Watched = {
        session,
        sinks: new Set(),
        unsubscribe: () => {},
        dirty: new Set(),
        signals: new Map(),
        sent: new Map(),
        dropped: this.store.snapshot(session)?.dropped ?? { events: 0, payloadBytes: 0 },
        timer: undefined,
        counts: setInterval(() => this.checkCounts(session, w), COUNTS_MS),
        running: false,
      };
      w.counts.unref();
      w.unsubscribe = this.store.subscribe(session, {
        live: (live) => this.changed(w, live),
        evicted: () => this.forget(session),
      });
      this.sessions.set(session, w);
      watched = w;
    }
    watched.sinks.add(sink);
    return () => {
      watched.sinks.delete(sink);
      if (watched.sinks.size === 0) this.forget(session);
    };
  }

  close(): void {
    for (const session of [...this.sessions.keys()]) this.forget(session);
  }

  private forget(session: string): void {
    const w = this.sessions.get(session);
    if (!w) return;
    this.sessions.delete(session);
    w.unsubscribe();
    clearTimeout(w.timer);
    clearInterval(w.counts);
    w.sinks.clear();
  }

  private changed(w: Watched, { connection, event }: LiveEvent): void {
    const signals = frameSignals(event);
    if (signals !== 'always') {
      let seen = w.signals.get(connection.id);
      if (!seen) w.signals.set(connection.id, (seen = new Set()));
      remember(w.signals);
      const fresh = signals.filter((s) => !seen.has(s));
      if (fresh.length === 0) return;
      for (const s of fresh) seen.add(s);
    }
    w.dirty.add(connection.id);
    this.schedule(w);
  }

  private schedule(w: Watched): void {
    if (w.timer !== undefined || w.running) return;
    w.timer = setTimeout(() => {
      w.timer = undefined;
      void this.run(w);
    }, SETTLE_MS);
  }

  /** Diagnoses the marked connections one by one; what changes meanwhile is marked for the next run. */
  private async run(w: Watched): Promise<void> {
    const { session } = w;
    w.running = true;
    try {
      while (w.dirty.size > 0 && this.sessions.get(session) === w) {
        // One snapshot per pass: a session may hold thousands of connections, and a connection's
        // events only grow, so what arrives meanwhile marks it again for the next pass.
        const snapshot = this.store.snapshot(session);
        const held = new Map(snapshot?.connections.map((c) => [c.meta.id, c]));
        const dirty = [...w.dirty];
        w.dirty.clear();
        for (const conn of dirty) {
          const connection = held.get(conn);
          if (connection && this.sessions.get(session) === w) await this.diagnose(connection, w);
        }
      }
      this.checkCounts(session, w);
    } finally {
      w.running = false;
      if (w.dirty.size > 0) this.schedule(w);
    }
  }

  private async diagnose({ meta, events, count }: TranscriptSnapshot['connections'][number], w: Watched): Promise<void> {
    const conn = meta.id;
    const job = this.findings.job(meta, events, count);
    for (let from = 0; from < count; from += SLICE_EVENTS) {
      job.add(events.slice(from, Math.min(count, from + SLICE_EVENTS)));
      if (from + SLICE_EVENTS < count) await nextTurn();
    }
    const findings = await job.finish();
    const json = JSON.stringify(findings);
    if (w.sent.get(conn) === json) return;
    w.sent.set(conn, json);
    remember(w.sent);
    const message: LiveFindings = { connection: conn, findings, upTo: count === 0 ? 0 : events[count - 1]!.seq };
    for (const sink of w.sinks) sink.findings(message);
  }

  private checkCounts(session: string, w: Watched): void {
    if (w.sinks.size === 0) return;
    const dropped = this.store.snapshot(session)?.dropped;
    if (!dropped || (dropped.events === w.dropped.events && dropped.payloadBytes === w.dropped.payloadBytes)) return;
    w.dropped = dropped;
    for (const sink of w.sinks) sink.counts({ dropped });
  }
}
