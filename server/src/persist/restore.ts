// Reads the sessions back at start, least recently active first, so that the store's budget
// (which evicts the least recently active) keeps the most recent ones when they do not all fit.
import { deserialize } from 'node:v8';
import { encodeHeld, type HeldFrame } from '../transcript/captured-frame.ts';
import type { RestoredSession } from '../transcript/session-state.ts';
import type { Connection, Dropped, Imported, LabEvent } from '../transcript/types.ts';
import type { Database } from './database.ts';

/** A run of events as the journal wrote it: V8-serialized, bytes held as bytes (schema 1 wrote JSON). */
function readRun(run: Buffer | string): LabEvent[] {
  if (typeof run === 'string') return JSON.parse(run) as LabEvent[];
  return (deserialize(run) as (LabEvent | HeldFrame)[]).map(encodeHeld);
}

export function readSessions(db: Database): RestoredSession[] {
  const sessions = db.prepare('SELECT id, imported, dropped FROM sessions ORDER BY last_active ASC').all() as { id: string; imported: string | null; dropped: string }[];
  const connectionsOf = db.prepare('SELECT id, meta FROM connections WHERE session = ? ORDER BY rowid');
  const runsOf = db.prepare('SELECT events FROM events WHERE session = ? AND conn = ? ORDER BY first_seq').pluck();
  return sessions.map((s) => {
    const connections = (connectionsOf.all(s.id) as { id: string; meta: string }[]).map(({ id, meta }) => {
      const events = (runsOf.all(s.id, id) as (Buffer | string)[]).flatMap(readRun);
      return { ...(JSON.parse(meta) as Omit<Connection, 'events'>), id, events } satisfies Connection;
    });
    const restored: RestoredSession = { id: s.id, dropped: JSON.parse(s.dropped) as Dropped, connections };
    if (s.imported) restored.imported = JSON.parse(s.imported) as Imported;
    return restored;
  });
}
