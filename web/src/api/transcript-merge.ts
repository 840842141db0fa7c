import { TRANSCRIPT_FORMAT, type Transcript } from '../../../server/src/transcript/types.ts';

function isTranscript(value: unknown): value is Transcript {
  return typeof value === 'object' && value !== null && (value as Transcript).format === TRANSCRIPT_FORMAT && Array.isArray((value as Transcript).connections);
}

/**
 * A refetched snapshot that keeps the event objects the cache already holds, wherever the
 * fresh copy starts with the same events (same seq at both ends of the held ones): views kept
 * incrementally (message grouping, filters, summaries) then read only what is new, and the
 * held objects are not duplicated. Anything else is taken from the fresh copy as it is.
 */
export function mergeTranscript<T>(old: unknown, fresh: T): T;
export function mergeTranscript(old: unknown, fresh: unknown): unknown {
  // react-query hands select results through here too (a connection, a list): only whole transcripts merge.
  if (!isTranscript(old) || !isTranscript(fresh) || old === fresh || old.session !== fresh.session) return fresh;
  const before = new Map(old.connections.map((c) => [c.id, c.events]));
  let changed = false;
  const connections = fresh.connections.map((c) => {
    const held = before.get(c.id);
    const n = held?.length ?? 0;
    if (!held || held === c.events || n === 0 || c.events.length < n) return c;
    if (c.events[n - 1] === held[n - 1]) return c;
    if (c.events[n - 1]!.seq !== held[n - 1]!.seq || c.events[0]!.seq !== held[0]!.seq) return c;
    changed = true;
    return { ...c, events: n === c.events.length ? held : held.concat(c.events.slice(n)) };
  });
  return changed ? { ...fresh, connections } : fresh;
}
