import {
  DEFAULT_SESSION,
  TRANSCRIPT_FORMAT,
  type Connection,
  type ConnectionMeta,
  type Imported,
  type LabEvent,
  type LiveEvent,
  type NewEvent,
  type Transcript,
} from './types.ts';
import { DEFAULT_LIMITS, eventCost, isSessionId, pickVictim, Tombstones, type StoreLimits } from './budget.ts';
import { newSessionId } from './ids.ts';
import { newConnection, registerAgain } from './route-taken.ts';
import type { Subscriber, TranscriptSnapshot, TranscriptStore } from './store-interface.ts';
import { describe, isoNow, payloadSize, readOnlyReason, type RestoredSession, type SessionState, type StoreJournal } from './session-state.ts';

export { newConnectionId, newSessionId } from './ids.ts';

export { DEFAULT_LIMITS, DEFAULT_CAPTURE_BUDGET, type StoreLimits } from './budget.ts';

export type { Eviction, Subscriber, TranscriptSnapshot, TranscriptStore } from './store-interface.ts';

/** Handshakes, closes and errors are few and are what a diagnosis needs: keep this many past the limit. */
const NON_FRAME_GRACE = 10_000;

export class MemoryTranscriptStore implements TranscriptStore {
  private readonly sessions = new Map<string, SessionState>();
  private readonly tombstones = new Tombstones();
  /** Bytes every session holds together: what the capture budget bounds. */
  private total = 0;
  /** Connections a hop has seen (its route is the wire's), as opposed to only registered by the page. */
  private readonly seen = new WeakSet<Connection>();
  /** Counts every activity, so "least recently active" is exact even within a millisecond. */
  private clock = 0;
  readonly limits: StoreLimits;

  /** `journal`: where what is kept is reported for a copy on disk (../persist/); none keeps nothing. */
  constructor(
    limits: Partial<StoreLimits> = {},
    private readonly journal?: StoreJournal,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.sessions.set(DEFAULT_SESSION, this.newState(DEFAULT_SESSION));
  }

  /** Bytes held by every session's captures now, and the budget they share. */
  get captureBytes(): number {
    return this.total;
  }

  private newState(id: string): SessionState {
    return {
      id, seq: 0, events: 0, payloadBytes: 0, bytes: 0, dropped: { events: 0, payloadBytes: 0 },
      connections: new Map(), subscribers: new Set(), lastActive: ++this.clock,
    };
  }

  createSession(): string {
    const id = newSessionId();
    this.add(id);
    return id;
  }

  private add(id: string, imported?: Imported): SessionState {
    const state = this.newState(id);
    if (imported) state.imported = imported;
    this.sessions.set(id, state);
    this.journal?.session(state);
    while (this.sessions.size > this.limits.maxSessions) {
      const victim = pickVictim(this.sessions.values(), state, false);
      if (!victim) break;
      this.evict(victim, `the lab keeps at most ${this.limits.maxSessions} sessions, and this one was the least recently active`);
    }
    return state;
  }

  /** Forgets a session (the default session is emptied instead) and tells its live streams. */
  private evict(state: SessionState, reason: string): void {
    this.total -= state.bytes;
    const subscribers = [...state.subscribers];
    if (state.id === DEFAULT_SESSION) this.sessions.set(DEFAULT_SESSION, this.newState(DEFAULT_SESSION));
    else {
      this.sessions.delete(state.id);
      this.tombstones.add(state.id);
    }
    this.journal?.forgetSession(state.id);
    for (const subscriber of subscribers) subscriber.evicted?.({ session: state.id, reason });
  }

  /** Evicts the least recently active other sessions until `cost` more bytes fit the budget. */
  private makeRoom(cost: number, current: SessionState): boolean {
    while (this.total + cost > this.limits.captureBudget) {
      const victim = pickVictim(this.sessions.values(), current, true);
      if (!victim) return false;
      const mib = (this.limits.captureBudget / 1024 / 1024).toFixed(0);
      this.evict(victim, `the lab's capture budget (${mib} MiB, --capture-budget) was full, and this session was the least recently active`);
    }
    return true;
  }

  hasSession(session: string): boolean {
    return this.sessions.has(session);
  }

  resolveSession(session: string | undefined | null): string {
    return session ? session : DEFAULT_SESSION;
  }

  /** The session's state; a well-formed id never evicted becomes a session of its own. */
  private stateFor(session: string): SessionState | undefined {
    const state = this.sessions.get(session);
    if (state || !isSessionId(session) || this.tombstones.has(session)) return state;
    return this.add(session);
  }

  openConnection(session: string, conn: string, meta: ConnectionMeta): Omit<Connection, 'events'> {
    const state = this.stateFor(session);
    const held = state?.connections.get(conn);
    if (held) {
      if (held.restoredAt || state?.imported) return describe(held);
      const before = held.route + held.preset + held.upstream?.name;
      if (registerAgain(held, meta, this.seen.has(held))) this.seen.add(held);
      if (before !== held.route + held.preset + held.upstream?.name) this.journal?.connection(state!.id, held);
      return describe(held);
    }
    const { connection, seen } = newConnection(conn, meta);
    if (seen) this.seen.add(connection);
    // Not recorded: an evicted or malformed session id, or a session opened from a file.
    if (!state || state.imported) return describe(connection);
    state.connections.set(conn, connection);
    this.journal?.connection(state.id, connection);
    this.evictConnections(state);
    return describe(connection);
  }

  private evictConnections(state: SessionState): void {
    for (const [id, connection] of state.connections) {
      if (state.connections.size <= this.limits.maxConnections) break;
      state.connections.delete(id);
      let bytes = 0;
      for (const event of connection.events) bytes += eventCost(event);
      state.bytes -= bytes;
      this.total -= bytes;
      state.dropped.events += connection.events.length;
      state.events -= connection.events.length;
      this.journal?.forgetConnection(state.id, id);
      this.journal?.session(state);
    }
  }

  connectionMeta(session: string, conn: string): Omit<Connection, 'events'> | undefined {
    const connection = this.sessions.get(session)?.connections.get(conn);
    return connection && describe(connection);
  }

  admitFrame(session: string, payloadBytes: number): boolean {
    const state = this.sessions.get(session);
    if (!state) return false;
    if (state.events < this.limits.maxEvents && state.payloadBytes + payloadBytes <= this.limits.maxPayloadBytes) return true;
    state.dropped.events += 1;
    state.dropped.payloadBytes += payloadBytes;
    this.journal?.session(state);
    return false;
  }

  payloadBudget(session: string, payloadBytes: number): boolean {
    const state = this.sessions.get(session);
    if (!state) return false;
    if (state.payloadBytes + payloadBytes <= this.limits.maxPayloadBytes) return true;
    state.dropped.payloadBytes += payloadBytes;
    this.journal?.session(state);
    return false;
  }

  append(session: string, conn: string, event: NewEvent): LabEvent | undefined {
    const state = this.sessions.get(session);
    const connection = state?.connections.get(conn);
    if (!state || !connection || connection.restoredAt || state.imported) return undefined;
    const size = payloadSize(event);
    const cost = eventCost(event);
    const overEvents = state.events >= this.limits.maxEvents;
    const overBytes = state.payloadBytes + size > this.limits.maxPayloadBytes;
    const droppable = event.kind === 'frame' || state.events >= this.limits.maxEvents + NON_FRAME_GRACE;
    // Past the session's own limits a frame is dropped without evicting anyone for it.
    const overBudget = !(droppable && (overEvents || overBytes)) && !this.makeRoom(cost, state);
    if ((overEvents || overBytes || overBudget) && droppable) {
      state.dropped.events += 1;
      state.dropped.payloadBytes += size;
      this.journal?.session(state);
      return undefined;
    }
    // The event is the hop's own fresh object: stamp it in place rather than copy it.
    const stamped = event as LabEvent;
    stamped.seq = ++state.seq;
    stamped.time = isoNow();
    connection.events.push(stamped);
    state.events += 1;
    state.payloadBytes += size;
    state.bytes += cost;
    this.total += cost;
    state.lastActive = ++this.clock;
    this.journal?.event(state.id, conn, stamped);
    if (state.subscribers.size > 0) {
      const live: LiveEvent = { connection: describe(connection), event: stamped };
      for (const subscriber of state.subscribers) subscriber.live(live);
    }
    return stamped;
  }

  snapshot(session: string): TranscriptSnapshot | undefined {
    const state = this.sessions.get(session);
    if (!state) return undefined;
    state.lastActive = ++this.clock;
    const snapshot: TranscriptSnapshot = {
      session,
      connections: [...state.connections.values()].map((c) => ({ meta: describe(c), events: c.events, count: c.events.length })),
    };
    if (state.dropped.events > 0 || state.dropped.payloadBytes > 0) snapshot.dropped = { ...state.dropped };
    if (state.imported) snapshot.imported = state.imported;
    return snapshot;
  }

  read(session: string): Transcript | undefined {
    const snapshot = this.snapshot(session);
    if (!snapshot) return undefined;
    const transcript: Transcript = {
      format: TRANSCRIPT_FORMAT,
      version: 1,
      session,
      connections: snapshot.connections.map(({ meta, events, count }) => ({ ...meta, events: events.slice(0, count) })),
    };
    if (snapshot.dropped) transcript.dropped = snapshot.dropped;
    if (snapshot.imported) transcript.imported = snapshot.imported;
    return transcript;
  }

  subscribe(session: string, subscriber: Subscriber | ((live: LiveEvent) => void)): () => void {
    const state = this.sessions.get(session);
    if (!state) return () => {};
    const s: Subscriber = typeof subscriber === 'function' ? { live: subscriber } : subscriber;
    state.subscribers.add(s);
    state.lastActive = ++this.clock;
    return () => {
      state.subscribers.delete(s);
      // A stream that was open until now counts as activity up to its end.
      state.lastActive = ++this.clock;
    };
  }

  importSession(transcript: Transcript, imported: Imported): { id: string } | { error: string; status: number } {
    const id = newSessionId();
    const state = this.add(id, imported);
    if (transcript.dropped) state.dropped = { ...transcript.dropped };
    if (!this.fill(state, transcript.connections, true)) {
      this.evict(state, 'it did not fit');
      const mib = (this.limits.captureBudget / 1024 / 1024).toFixed(0);
      return { status: 413, error: `the file holds more than the lab's capture budget (${mib} MiB, --capture-budget) can keep with the sessions in use` };
    }
    return { id };
  }

  /** Sessions read back from the disk (oldest activity first): their live connections become read-only. */
  restore(sessions: readonly RestoredSession[], restoredAt: string): void {
    for (const saved of sessions) {
      const state = this.sessions.get(saved.id) ?? this.add(saved.id, saved.imported);
      state.dropped = { ...saved.dropped };
      for (const c of saved.connections) if (!saved.imported && !c.restoredAt) c.restoredAt = restoredAt;
      this.fill(state, saved.connections, false);
      for (const c of saved.connections) if (c.restoredAt === restoredAt) this.journal?.connection(state.id, c);
    }
  }

  /** Puts whole connections in a session within the budget; `journal` says whether the copy on disk needs them. */
  private fill(state: SessionState, connections: readonly Connection[], journal: boolean): boolean {
    for (const connection of connections) {
      let cost = 0;
      for (const e of connection.events) cost += eventCost(e);
      if (!this.makeRoom(cost, state)) return false;
      state.connections.set(connection.id, connection);
      for (const e of connection.events) {
        state.payloadBytes += payloadSize(e);
        state.seq = Math.max(state.seq, e.seq);
      }
      state.events += connection.events.length;
      state.bytes += cost;
      this.total += cost;
      if (journal) {
        this.journal?.connection(state.id, connection);
        for (const e of connection.events) this.journal?.event(state.id, connection.id, e);
      }
    }
    state.lastActive = ++this.clock;
    return true;
  }

  readOnly(session: string, conn?: string): string | undefined {
    const state = this.sessions.get(session);
    return state && readOnlyReason(state, conn === undefined ? undefined : state.connections.get(conn));
  }
}
