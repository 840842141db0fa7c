// The store's interface: what every listener and the API call. MemoryTranscriptStore (./store.ts)
// implements it; ../persist/ keeps a copy of what it holds on disk.
import type { Connection, Imported, LabEvent, LiveEvent, NewEvent, ConnectionMeta, Transcript } from './types.ts';

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
  dropped?: Transcript['dropped'];
  imported?: Imported;
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
  /**
   * A new read-only session holding a transcript read from a file (already validated); an
   * error with its HTTP status when it does not fit the capture budget.
   */
  importSession(transcript: Transcript, imported: Imported): { id: string } | { error: string; status: number };
  /** Why nothing may be recorded on or done to this session (or connection of it); undefined when allowed. */
  readOnly(session: string, conn?: string): string | undefined;
}

