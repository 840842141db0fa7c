// The store's journal, kept on disk off the hot path: a hop's append only notes a reference
// here; every FLUSH_MS the notes become one batch of rows (a connection's events as one V8-serialized
// run) that a worker thread writes in
// one transaction (./writer-worker.ts). When the disk falls behind by MAX_BEHIND_BYTES, events are
// left unsaved (counted, and said once) rather than held without bound.
import { serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { log } from '../log.ts';
import { eventCost } from '../transcript/budget.ts';
import { describe, type SessionState, type StoreJournal } from '../transcript/session-state.ts';
import { CapturedFrame, type HeldFrame } from '../transcript/captured-frame.ts';
import type { Connection, LabEvent } from '../transcript/types.ts';

/** One row's worth of change: session, connection, a run of a connection's events (from a seq, a JSON array), forget a session, forget a connection. */
export type Op =
  | ['s', string, string | null, string]
  | ['c', string, string, string]
  | ['e', string, string, number, Uint8Array]
  | ['x', string]
  | ['y', string, string];

export interface Batch {
  id: number;
  /** Wall-clock ms: the sessions it touches were active then. */
  at: number;
  ops: Op[];
}

type Note =
  | { kind: 's'; state: SessionState }
  | { kind: 'c'; session: string; connection: Connection }
  | { kind: 'e'; session: string; conn: string; event: LabEvent }
  | { kind: 'x'; session: string }
  | { kind: 'y'; session: string; conn: string };

export const FLUSH_MS = 200;
/** Notes, or bytes of events, that make a flush come sooner than FLUSH_MS (a burst of traffic): a batch stays small enough to serialize without a long block. */
const FLUSH_NOTES = 8192;
const FLUSH_BYTES = 4 * 1024 * 1024;
/** Bytes sent to the writer and not yet written, beyond which events are not saved. */
export const MAX_BEHIND_BYTES = 64 * 1024 * 1024;

export class DiskJournal implements StoreJournal {
  private notes: Note[] = [];
  /** Sessions and connections already noted since the last flush: their rows are written from their state then. */
  private readonly noted = new Set<unknown>();
  private readonly timer: NodeJS.Timeout;
  private soon: NodeJS.Immediate | undefined;
  private nextBatch = 0;
  private readonly inFlight = new Map<number, number>();
  private behind = 0;
  private unsaved = 0;
  private failed: string | undefined;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly file: string,
  ) {
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
    this.ready = new Promise((resolve) => {
      worker.on('message', (m: unknown) => m === 'ready' && resolve());
      worker.once('exit', () => resolve());
    });
    worker.on('message', (message: number | 'closed' | 'ready') => {
      if (typeof message !== 'number') return;
      this.behind -= this.inFlight.get(message) ?? 0;
      this.inFlight.delete(message);
      if (this.behind < MAX_BEHIND_BYTES / 2 && this.unsaved > 0) {
        log(`sessions: the disk caught up; ${this.unsaved} events were not saved to ${this.file} meanwhile (they are still in memory)`);
        this.unsaved = 0;
      }
    });
    worker.on('error', (err) => this.fail(err.message));
  }

  /** Settles once the writer holds the database (or has stopped). */
  readonly ready: Promise<void>;

  /** Whether saving stopped, and why. */
  get failure(): string | undefined {
    return this.failed;
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = message;
    this.notes = [];
    clearInterval(this.timer);
    log(`sessions: no longer saved to ${this.file}: ${message}. The lab goes on in memory only.`);
  }

  /** What the events noted since the last flush take, as the capture budget counts them. */
  private notedBytes = 0;

  private note(n: Note): void {
    if (this.failed || this.closed) return;
    this.notes.push(n);
    if (n.kind === 'e') this.notedBytes += eventCost(n.event);
    if ((this.notes.length >= FLUSH_NOTES || this.notedBytes >= FLUSH_BYTES) && !this.soon) this.soon = setImmediate(() => this.flush());
  }

  session(state: SessionState): void {
    if (this.noted.has(state)) return;
    this.noted.add(state);
    this.note({ kind: 's', state });
  }

  connection(session: string, connection: Connection): void {
    if (this.noted.has(connection)) return;
    this.noted.add(connection);
    this.note({ kind: 'c', session, connection });
  }

  event(session: string, conn: string, event: LabEvent): void {
    this.note({ kind: 'e', session, conn, event });
  }

  forgetSession(session: string): void {
    this.note({ kind: 'x', session });
  }

  forgetConnection(session: string, conn: string): void {
    this.note({ kind: 'y', session, conn });
  }

  /** Turns the notes into rows and hands them to the writer. */
  flush(): void {
    if (this.soon) clearImmediate(this.soon);
    this.soon = undefined;
    if (this.notes.length === 0 || this.failed) return;
    const notes = this.notes;
    this.notes = [];
    this.notedBytes = 0;
    this.noted.clear();
    const ops: Op[] = [];
    let bytes = 0;
    /** What the runs not yet serialized will take, near enough. */
    let pending = 0;
    // A connection's events in this batch go in one row: far fewer rows to insert than events.
    const runs = new Map<string, { session: string; conn: string; first: number; events: (LabEvent | HeldFrame)[] }>();
    const endRuns = () => {
      // One run is one V8-serialized array (a structured clone's own format): the cheapest form to
      // hand over and to store as it is, so the writer does no more than insert it (./restore.ts reads it).
      for (const r of runs.values()) {
        const run = serialize(r.events);
        bytes += run.byteLength;
        ops.push(['e', r.session, r.conn, r.first, run]);
      }
      runs.clear();
      pending = 0;
    };
    for (const n of notes) {
      switch (n.kind) {
        case 's':
          ops.push(['s', n.state.id, n.state.imported ? JSON.stringify(n.state.imported) : null, JSON.stringify(n.state.dropped)]);
          break;
        case 'c':
          ops.push(['c', n.session, n.connection.id, JSON.stringify(describe(n.connection))]);
          break;
        case 'e': {
          if (this.behind + bytes + pending > MAX_BEHIND_BYTES) {
            if (this.unsaved++ === 0) log(`sessions: the disk is ${((this.behind + bytes + pending) / 1024 / 1024).toFixed(0)} MiB behind; events are not saved to ${this.file} until it catches up`);
            break;
          }
          pending += eventCost(n.event);
          const key = `${n.session}\n${n.conn}`;
          // A captured frame's bytes go as bytes (its private fields would not survive serializing), encoded when read back.
          const event = n.event instanceof CapturedFrame ? n.event.toClone() : n.event;
          const run = runs.get(key);
          if (run) run.events.push(event);
          else runs.set(key, { session: n.session, conn: n.conn, first: n.event.seq, events: [event] });
          break;
        }
        case 'x':
          endRuns();
          ops.push(['x', n.session]);
          break;
        case 'y':
          endRuns();
          ops.push(['y', n.session, n.conn]);
          break;
      }
    }
    endRuns();
    const id = ++this.nextBatch;
    this.inFlight.set(id, bytes);
    this.behind += bytes;
    this.worker.postMessage({ id, at: Date.now(), ops } satisfies Batch);
  }

  /** Writes what is noted, then closes the database (at most `timeoutMs` for a slow disk). */
  close(timeoutMs = 5000): Promise<void> {
    if (this.closed) return this.closed;
    this.flush();
    clearInterval(this.timer);
    // Keep the process alive until the last batch is written.
    this.worker.ref();
    this.closed = new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        log(`sessions: ${this.file} took over ${timeoutMs} ms to close; the last ${FLUSH_MS} ms of events may be missing`);
        void this.worker.terminate().then(done);
      }, timeoutMs);
      this.worker.on('message', (m: unknown) => m === 'closed' && void this.worker.terminate().then(done));
      this.worker.once('exit', done);
      if (this.failed) void this.worker.terminate().then(done);
      else this.worker.postMessage('close');
    });
    return this.closed;
  }
}
