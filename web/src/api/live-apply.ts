import type { Connection, LabEvent, Transcript } from '../../../server/src/transcript/types.ts';
import type { LiveEvent } from '../../../server/src/transcript/types.ts';
import type { LiveCounts, LiveFindings } from '../../../server/src/api/types.ts';

function lastSeq(events: LabEvent[]): number {
  return events.length === 0 ? 0 : events[events.length - 1]!.seq;
}

/** Whether the live stream describes the connection differently: its route, the chosen one, its preset or upstream. */
function metaChanged(held: Connection, meta: LiveEvent['connection']): boolean {
  return held.route !== meta.route || held.chosenRoute !== meta.chosenRoute || held.preset !== meta.preset || held.upstream?.name !== meta.upstream?.name;
}

/**
 * Appends live events to a transcript snapshot. A connection's events only ever grow, so they
 * are appended to its list in place, and the connection and transcript objects are new ones:
 * a batch costs what it carries, not what the session holds (no copy of 100,000 events per
 * flush). Whatever depends on the events keys on the connection object, or on the list and its
 * length. Sequence numbers grow per session and a connection's events arrive in order, so an
 * event whose seq is not above its connection's last one is already there: the whole de-duplication.
 */
export function applyLiveEvents(transcript: Transcript, batch: readonly LiveEvent[]): Transcript {
  if (batch.length === 0) return transcript;
  const index = new Map<string, number>();
  transcript.connections.forEach((c, i) => index.set(c.id, i));
  const connections = transcript.connections.slice();
  const renewed = new Set<string>();
  let changed = false;

  for (const { connection: meta, event } of batch) {
    let i = index.get(meta.id);
    if (i === undefined) {
      i = connections.length;
      connections.push({ ...meta, events: [] });
      index.set(meta.id, i);
      renewed.add(meta.id);
    }
    let connection: Connection = connections[i]!;
    if (metaChanged(connection, meta)) {
      // The first hop to see a connection the page registered says which route it took.
      const { findings } = connection;
      connection = { ...meta, events: connection.events, ...(findings ? { findings } : {}) };
      connections[i] = connection;
      renewed.add(meta.id);
      changed = true;
    }
    if (event.seq <= lastSeq(connection.events)) continue;
    if (!renewed.has(meta.id)) {
      connection = { ...connection };
      connections[i] = connection;
      renewed.add(meta.id);
    }
    connection.events.push(event);
    changed = true;
  }
  return changed ? { ...transcript, connections } : transcript;
}

/**
 * Sets connections' findings from the live stream. `snapshotUpTo` says, per connection, the last
 * event seq the snapshot's own findings reflect: findings computed before that are older than
 * what the page shows, and are skipped. Whatever is applied raises it.
 */
export function applyLiveFindings(
  transcript: Transcript,
  findings: readonly LiveFindings[],
  snapshotUpTo: Map<string, number>,
  counts?: LiveCounts,
): Transcript {
  let connections: Connection[] | undefined;
  for (const f of findings) {
    if (f.upTo < (snapshotUpTo.get(f.connection) ?? 0)) continue;
    const list = connections ?? transcript.connections;
    const i = list.findIndex((c) => c.id === f.connection);
    if (i < 0) continue;
    snapshotUpTo.set(f.connection, f.upTo);
    connections ??= transcript.connections.slice();
    connections[i] = { ...connections[i]!, findings: f.findings };
  }
  if (!connections && !counts) return transcript;
  return { ...transcript, ...(connections ? { connections } : {}), ...(counts ? { dropped: counts.dropped } : {}) };
}

/** The last event seq of each connection of a snapshot: what its findings reflect. */
export function findingsUpTo(transcript: Transcript, into: Map<string, number>): void {
  for (const c of transcript.connections) into.set(c.id, lastSeq(c.events));
}
