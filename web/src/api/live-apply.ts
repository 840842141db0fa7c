import type { Connection, LabEvent, Transcript } from '../../../server/src/transcript/types.ts';
import type { LiveEvent } from '../../../server/src/transcript/types.ts';

function lastSeq(events: LabEvent[]): number {
  return events.length === 0 ? 0 : events[events.length - 1]!.seq;
}

/**
 * Appends live events to a transcript snapshot, without mutating it. Sequence numbers grow
 * per session and a connection's events arrive in order, so an event whose seq is not above
 * its connection's last one is already in the snapshot: that is the whole de-duplication.
 * Each touched connection's event array is copied once per batch, not once per event.
 */
export function applyLiveEvents(transcript: Transcript, batch: readonly LiveEvent[]): Transcript {
  if (batch.length === 0) return transcript;
  const index = new Map<string, number>();
  transcript.connections.forEach((c, i) => index.set(c.id, i));
  const connections = transcript.connections.slice();
  const copied = new Set<string>();
  let changed = false;

  for (const { connection: meta, event } of batch) {
    let i = index.get(meta.id);
    if (i === undefined) {
      i = connections.length;
      connections.push({ ...meta, events: [] });
      index.set(meta.id, i);
      copied.add(meta.id);
    }
    let connection: Connection = connections[i]!;
    if (event.seq <= lastSeq(connection.events)) continue;
    if (!copied.has(meta.id)) {
      connection = { ...connection, events: connection.events.slice() };
      connections[i] = connection;
      copied.add(meta.id);
    }
    connection.events.push(event);
    changed = true;
  }
  return changed ? { ...transcript, connections } : transcript;
}
