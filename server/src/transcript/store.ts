import { randomBytes } from 'node:crypto';
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

/**
 * Where observations go. Listeners and the API only ever see this interface, so a hosted,
 * multi-process lab could keep transcripts in an existing store (Redis streams, say)
 * without touching them.
 */
export interface TranscriptStore {
  createSession(): string;
  hasSession(session: string): boolean;
  /** The session an observation belongs to: its own if known, else `default`. */
  resolveSession(session: string | undefined | null): string;
  /** Registers a connection; the first hop to see it sets url, route and preset, and a later hop may add the upstream it reached. */
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
  subscribe(session: string, listener: (live: LiveEvent) => void): () => void;
}

export interface StoreLimits {
  /** Events kept per session before frames are dropped. */
  maxEvents: number;
  /** Payload bytes (as captured, base64-decoded size) kept per session before frames are dropped. */
  maxPayloadBytes: number;
  /** Sessions kept; the least recently used one is forgotten beyond this. */
  maxSessions: number;
  /** Connections kept per session; the oldest one is forgotten beyond this. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: StoreLimits = {
  maxEvents: 100_000,
  maxPayloadBytes: 64 * 1024 * 1024,
  maxSessions: 1_000,
  maxConnections: 2_000,
};

/** Handshakes, closes and errors are few and are what a diagnosis needs: keep this many past the limit. */
const NON_FRAME_GRACE = 10_000;

interface SessionState {
  id: string;
  seq: number;
  events: number;
  payloadBytes: number;
  dropped: Dropped;
  connections: Map<string, Connection>;
  listeners: Set<(live: LiveEvent) => void>;
}

export function newSessionId(): string {
  // 128 bits from the CSPRNG: the id is the only key to a session's captures.
  return randomBytes(16).toString('base64url');
}

/** An id for a connection whose URL carried no `conn` (a terminal client): `t-` and 40 random bits. */
export function newConnectionId(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

function payloadSize(event: NewEvent): number {
  if (event.kind !== 'frame') return 0;
  // base64 length * 3/4 is the decoded size, near enough to account memory.
  return Math.ceil((event.payload.length + (event.inflated?.length ?? 0)) * 0.75);
}

export class MemoryTranscriptStore implements TranscriptStore {
  private readonly sessions = new Map<string, SessionState>();
  readonly limits: StoreLimits;

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.sessions.set(DEFAULT_SESSION, this.newState(DEFAULT_SESSION));
  }

  private newState(id: string): SessionState {
    return { id, seq: 0, events: 0, payloadBytes: 0, dropped: { events: 0, payloadBytes: 0 }, connections: new Map(), listeners: new Set() };
  }

  createSession(): string {
    const id = newSessionId();
    this.sessions.set(id, this.newState(id));
    this.evictSessions();
    return id;
  }

  private evictSessions(): void {
    // Map iteration is insertion order; `touch` re-inserts, so the first key is the least recently used.
    for (const id of this.sessions.keys()) {
      if (this.sessions.size <= this.limits.maxSessions) break;
      if (id === DEFAULT_SESSION) continue;
      this.sessions.delete(id);
    }
  }

  private touch(state: SessionState): void {
    if (state.id === DEFAULT_SESSION) return;
    this.sessions.delete(state.id);
    this.sessions.set(state.id, state);
  }

  hasSession(session: string): boolean {
    return this.sessions.has(session);
  }

  resolveSession(session: string | undefined | null): string {
    return session && this.sessions.has(session) ? session : DEFAULT_SESSION;
  }

  openConnection(session: string, conn: string, meta: ConnectionMeta): Omit<Connection, 'events'> {
    const state = this.sessions.get(this.resolveSession(session))!;
    let connection = state.connections.get(conn);
    if (!connection) {
      connection = { id: conn, url: meta.url, route: meta.route, startedAt: new Date().toISOString(), events: [] };
      if (meta.preset !== undefined) connection.preset = meta.preset;
      state.connections.set(conn, connection);
      this.evictConnections(state);
    }
    // The page registers a connection before any hop sees it; only the proxy knows which upstream it reached.
    if (meta.upstream !== undefined && connection.upstream === undefined) connection.upstream = { ...meta.upstream };
    return describe(connection);
  }

  private evictConnections(state: SessionState): void {
    for (const [id, connection] of state.connections) {
      if (state.connections.size <= this.limits.maxConnections) break;
      state.connections.delete(id);
      state.dropped.events += connection.events.length;
      state.events -= connection.events.length;
    }
  }

  connectionMeta(session: string, conn: string): Omit<Connection, 'events'> | undefined {
    const connection = this.sessions.get(this.resolveSession(session))?.connections.get(conn);
    return connection && describe(connection);
  }

  admitFrame(session: string, payloadBytes: number): boolean {
    const state = this.sessions.get(this.resolveSession(session))!;
    if (state.events < this.limits.maxEvents && state.payloadBytes + payloadBytes <= this.limits.maxPayloadBytes) return true;
    state.dropped.events += 1;
    state.dropped.payloadBytes += payloadBytes;
    return false;
  }

  payloadBudget(session: string, payloadBytes: number): boolean {
    const state = this.sessions.get(this.resolveSession(session))!;
    if (state.payloadBytes + payloadBytes <= this.limits.maxPayloadBytes) return true;
    state.dropped.payloadBytes += payloadBytes;
    return false;
  }

  append(session: string, conn: string, event: NewEvent): LabEvent | undefined {
    const state = this.sessions.get(this.resolveSession(session))!;
    const connection = state.connections.get(conn);
    if (!connection) return undefined;
    const size = payloadSize(event);
    const overEvents = state.events >= this.limits.maxEvents;
    const overBytes = state.payloadBytes + size > this.limits.maxPayloadBytes;
    if ((overEvents || overBytes) && (event.kind === 'frame' || state.events >= this.limits.maxEvents + NON_FRAME_GRACE)) {
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
    if (state.listeners.size > 0) {
      const live: LiveEvent = { connection: describe(connection), event: stamped };
      for (const listener of state.listeners) listener(live);
    }
    return stamped;
  }

  read(session: string): Transcript | undefined {
    const state = this.sessions.get(session);
    if (!state) return undefined;
    this.touch(state);
    const transcript: Transcript = {
      format: TRANSCRIPT_FORMAT,
      version: 1,
      session,
      connections: [...state.connections.values()].map((c) => ({ ...c, events: [...c.events] })),
    };
    if (state.dropped.events > 0 || state.dropped.payloadBytes > 0) transcript.dropped = { ...state.dropped };
    return transcript;
  }

  subscribe(session: string, listener: (live: LiveEvent) => void): () => void {
    const state = this.sessions.get(session);
    if (!state) return () => {};
    state.listeners.add(listener);
    return () => state.listeners.delete(listener);
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
