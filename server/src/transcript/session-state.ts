// What the memory store holds per session, and the small helpers its methods share.
import type { Connection, Dropped, Imported, LabEvent, NewEvent } from './types.ts';
import type { Subscriber } from './store.ts';
import { frameBase64Chars } from './captured-frame.ts';

export interface SessionState {
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
  /** Opened from a file: read-only. */
  imported?: Imported;
}

/**
 * Where a store reports what it keeps, for a copy elsewhere (the disk, ../persist/). Each call
 * only notes a reference: the copy is made later, off the capture's hot path.
 */
export interface StoreJournal {
  /** A session was created, imported, or its dropped counts changed. */
  session(state: SessionState): void;
  /** A connection was registered, or its route, preset or upstream changed. */
  connection(session: string, connection: Connection): void;
  event(session: string, conn: string, event: LabEvent): void;
  forgetSession(session: string): void;
  forgetConnection(session: string, conn: string): void;
}

/** A session as read back from the disk, oldest activity first. */
export interface RestoredSession {
  id: string;
  imported?: Imported;
  dropped: Dropped;
  connections: Connection[];
}

export function payloadSize(event: NewEvent | LabEvent): number {
  if (event.kind !== 'frame') return 0;
  // base64 length * 3/4 is the decoded size, near enough to account memory.
  return Math.ceil(frameBase64Chars(event) * 0.75);
}

let lastMs = 0;
let lastIso = '';
/** `new Date().toISOString()`, formatted once per millisecond: hops stamp many events per ms. */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

export function describe(connection: Connection): Omit<Connection, 'events'> {
  const { events: _events, ...rest } = connection;
  return rest;
}

/** Why nothing more is recorded on, or done to, a connection of this session; undefined when it is live. */
export function readOnlyReason(state: SessionState, connection: Connection | undefined): string | undefined {
  if (state.imported) {
    const what = state.imported.from === 'har' ? 'a HAR file' : 'a transcript file';
    return `session ${state.id} was opened from ${what}${state.imported.name ? ` (${state.imported.name})` : ''}: it is read-only. Start a new session to connect.`;
  }
  if (connection?.restoredAt) {
    return `connection ${connection.id} was recorded before the lab restarted: it is read-only, and nothing reaches it any more. Open a new connection.`;
  }
  return undefined;
}
