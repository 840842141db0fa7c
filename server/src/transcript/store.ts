import {
  DEFAULT_SESSION,
  TRANSCRIPT_FORMAT,
  type Connection,
  type ConnectionMeta,
  type Dropped,
  type LabEvent,
  type LiveEvent,
  type NewEvent,
  type Transcript,
} from './types.ts';
import { DEFAULT_LIMITS, eventCost, isSessionId, pickVictim, Tombstones, type StoreLimits } from './budget.ts';
import { newSessionId } from './ids.ts';
import { frameBase64Chars } from './captured-frame.ts';
import { newConnection, registerAgain } from './route-taken.ts';

export { newConnectionId, newSessionId } from './ids.ts';

export { DEFAULT_LIMITS, DEFAULT_CAPTURE_BUDGET, type StoreLimits } from './budget.ts';

/** Why a session was forgotten, as its live stream is told. */
export interface Eviction {
  session: string;
  reason: string;
}

export interface Subscriber {
  live(live: LiveEvent): void;
  /** The session was evicted: nothing more will come, and its transcript is gone. */
  evicted?(eviction: Eviction): void;
}

/** A transcript as it stood when read: each connection's events up to `count` (the arrays only grow). */
export interface TranscriptSnapshot {
  session: string;
  connections: { meta: Omit<Connection, 'events'>; events: readonly LabEvent[]; count: number }[];
  dropped?: Dropped;
}

/**
 * Where observations go. Listeners and the API only ever see this interface, so a hosted,
 * multi-process lab could keep transcripts in an existing store (Redis streams, say)
 * without touching them.
 */
export interface TranscriptStore {
  createSession(): string;
  hasSession(session: string): boolean;
  /**
   * The session an observation belongs to: `default` when the URL named none, else the id
   * itself. An id the store does not know is filed under its own id (a new session) when it
   * is well-formed and was never evicted; an evicted one is not recorded at all. Never `default`.
   */
  resolveSession(session: string | undefined | null): string;
  /**
   * Registers a connection. The first to register it sets url, route and preset; a page's
   * registration (`meta.chosen`) is only what it asked for, kept as `chosenRoute`, and the first
   * hop to see the connection then sets route and preset from what it observed. A later hop may
   * add the preset or upstream it reached.
   */
  openConnection(session: string, conn: string, meta: ConnectionMeta): Omit<Connection, 'events'>;
  connectionMeta(session: string, conn: string): Omit<Connection, 'events'> | undefined;
  append(session: string, conn: string, event: NewEvent): LabEvent | undefined;
  /**
   * Whether a frame carrying `payloadBytes` would be kept. When not, the drop is counted
   * here, so a hop can skip building an event nobody will keep.
   */
  admitFrame(session: string, payloadBytes: number): boolean;
  /**
   * Whether a frame's payload copy of `payloadBytes` still fits the session's payload limit.
   * When not, those bytes are counted as dropped and the frame is kept without its payload.
   */
  payloadBudget(session: string, payloadBytes: number): boolean;
  read(session: string): Transcript | undefined;
  snapshot(session: string): TranscriptSnapshot | undefined;
  subscribe(session: string, subscriber: Subscriber | ((live: LiveEvent) => void)): () => void;
}

/** Handshakes, closes and errors are few and are what a diagnosis needs: keep this many past the limit. */
const NON_FRAME_GRACE = 10_000;

interface SessionState {
  id: string;
  seq: number;
  events: number;
  payloadBytes: number;
  /** What this session's events hold in memory, as the capture budget counts it. */
  bytes: number;
  dropped: Dropped;
  connections: Map<string, Connection>;
  subscribers: Set<Subscriber>;
  /** When it last had traffic, a read or a subscription, on the store's activity clock. */
  lastActive: number;
}

function payloadSize(event: NewEvent): number {
  if (event.kind !== 'frame') return 0;
  // base64 length * 3/4 is the decoded size, near enough to account memory.
  return Math.ceil(frameBase64Chars(event) * 0.75);
}

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

  constructor(limits: Partial<StoreLimits> = {}) {
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

  private add(id: string): SessionState {
    const state = this.newState(id);
    this.sessions.set(id, state);
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
      if (registerAgain(held, meta, this.seen.has(held))) this.seen.add(held);
      return describe(held);
    }
    const { connection, seen } = newConnection(conn, meta);
    if (seen) this.seen.add(connection);
    if (!state) return describe(connection); // not recorded: an evicted or malformed session id
    state.connections.set(conn, connection);
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
    return false;
  }

  payloadBudget(session: string, payloadBytes: number): boolean {
    const state = this.sessions.get(session);
    if (!state) return false;
    if (state.payloadBytes + payloadBytes <= this.limits.maxPayloadBytes) return true;
    state.dropped.payloadBytes += payloadBytes;
    return false;
  }

  append(session: string, conn: string, event: NewEvent): LabEvent | undefined {
    const state = this.sessions.get(session);
    const connection = state?.connections.get(conn);
    if (!state || !connection) return undefined;
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
}

let lastMs = 0;
let lastIso = '';
/** `new Date().toISOString()`, formatted once per millisecond: hops stamp many events per ms. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

function describe(connection: Connection): Omit<Connection, 'events'> {
  const { events: _events, ...rest } = connection;
  return rest;
}
