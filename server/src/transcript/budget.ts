// The store's bounds: per-session limits, one global capture budget across sessions, and which
// session goes when the budget is full (the least recently active one).
import { DEFAULT_SESSION, type LabEvent, type NewEvent } from './types.ts';
import { frameBase64Chars } from './captured-frame.ts';

export interface StoreLimits {
  /** Events kept per session before frames are dropped. */
  maxEvents: number;
  /** Payload bytes (as captured, base64-decoded size) kept per session before frames are dropped. */
  maxPayloadBytes: number;
  /** Sessions kept; the least recently active one is forgotten beyond this. */
  maxSessions: number;
  /** Connections kept per session; the oldest one is forgotten beyond this. */
  maxConnections: number;
  /**
   * Bytes every session's captures may hold together (`--capture-budget`). Beyond it the least
   * recently active session is evicted, and its live stream told.
   */
  captureBudget: number;
}

export const DEFAULT_CAPTURE_BUDGET = 256 * 1024 * 1024;

export const DEFAULT_LIMITS: StoreLimits = {
  maxEvents: 100_000,
  maxPayloadBytes: 64 * 1024 * 1024,
  maxSessions: 1_000,
  maxConnections: 2_000,
  captureBudget: DEFAULT_CAPTURE_BUDGET,
};

/** What an event object and its strings cost beyond their text, near enough to bound memory. */
const EVENT_OVERHEAD = 200;

function headerBytes(headers: readonly (readonly [string, string])[]): number {
  let n = 0;
  for (const [name, value] of headers) n += name.length + value.length + 40;
  return n;
}

/** The memory an event holds, as the capture budget counts it: its strings, plus a fixed overhead. */
export function eventCost(event: NewEvent | LabEvent): number {
  switch (event.kind) {
    case 'frame':
      return EVENT_OVERHEAD + frameBase64Chars(event) + (event.close?.reason.length ?? 0);
    case 'request':
      return EVENT_OVERHEAD + event.target.length + headerBytes(event.headers);
    case 'response':
      return EVENT_OVERHEAD + event.reason.length + headerBytes(event.headers) + (event.body?.length ?? 0);
    case 'connect':
      return EVENT_OVERHEAD + event.target.length + headerBytes(event.headers);
    case 'error':
      return EVENT_OVERHEAD + event.message.length + (event.received?.bytes.length ?? 0);
    case 'close':
      return EVENT_OVERHEAD + event.reason.length;
    case 'open':
      return EVENT_OVERHEAD + event.protocol.length + event.extensions.length;
    case 'tls-client-hello':
      return EVENT_OVERHEAD + (event.serverName?.length ?? 0) + event.alpn.join().length + event.versions.join().length + (event.error?.length ?? 0);
    case 'tunnel-bytes':
      return EVENT_OVERHEAD;
    case 'h2-reset':
      return EVENT_OVERHEAD + event.errorName.length;
  }
}

/** A session id the lab will file under: what `POST /api/sessions` hands out, or a name a terminal user picks. */
export function isSessionId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(id);
}

interface Candidate {
  id: string;
  bytes: number;
  lastActive: number;
  subscribers: { size: number };
}

/**
 * The session to evict: never `current`; sessions nobody is watching before those with an
 * open live stream; then the least recently active. With `holding`, only sessions that hold
 * captures (evicting an empty one frees nothing); the default session is emptied, not removed.
 */
export function pickVictim<S extends Candidate>(sessions: Iterable<S>, current: S, holding: boolean): S | undefined {
  let best: S | undefined;
  for (const s of sessions) {
    if (s === current || (holding && s.bytes <= 0) || (!holding && s.id === DEFAULT_SESSION)) continue;
    if (!best || rank(s) < rank(best)) best = s;
  }
  return best;
}

function rank(s: Candidate): number {
  // An open live stream is activity going on now: such sessions go only after every unwatched one.
  return (s.subscribers.size > 0 ? 1e15 : 0) + s.lastActive;
}

/** Ids of evicted sessions, so their later traffic is not filed as a new session (bounded). */
export class Tombstones {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 10_000) {}

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}
