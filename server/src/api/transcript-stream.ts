import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { diagnose } from '../diagnose/index.ts';
import type { TranscriptSnapshot } from '../transcript/store.ts';
import { TRANSCRIPT_FORMAT, type Connection } from '../transcript/types.ts';

/** JSON written per turn of the event loop before letting sockets and timers run again. */
export const SLICE_BYTES = 1024 * 1024;

/**
 * A transcript (with its findings) written as JSON piece by piece: a few hundred KiB of events
 * per turn of the event loop, waiting whenever the reader is behind. A full transcript is
 * tens of MB of JSON; building it as one string would stall every tunnel the lab relays for
 * as long as that takes, and hold the whole string in memory. The output is the same JSON
 * `store.read()` plus findings would give, one connection's keys in a different order.
 */
export async function streamTranscript(snapshot: TranscriptSnapshot, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  let gone = false;
  res.once('close', () => (gone = true));
  const write = async (text: string, yieldAfter: boolean) => {
    if (gone) return;
    if (!res.write(text)) await new Promise<void>((resolve) => {
      const done = () => {
        res.removeListener('drain', done);
        res.removeListener('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
    else if (yieldAfter) await nextTurn();
  };
  await write(`{"format":${JSON.stringify(TRANSCRIPT_FORMAT)},"version":1,"session":${JSON.stringify(snapshot.session)},"connections":[`, false);
  for (let i = 0; i < snapshot.connections.length && !gone; i++) {
    const { meta, events, count } = snapshot.connections[i]!;
    const connection: Connection = { ...meta, events: events.slice(0, count) };
    const findings = diagnose(connection);
    const head = JSON.stringify(meta).slice(0, -1);
    await write(`${i === 0 ? '' : ','}${head},"findings":${JSON.stringify(findings)},"events":[`, true);
    let piece = '';
    for (let e = 0; e < count && !gone; e++) {
      piece += (e === 0 ? '' : ',') + JSON.stringify(events[e]);
      if (piece.length >= SLICE_BYTES) {
        await write(piece, true);
        piece = '';
      }
    }
    await write(`${piece}]}`, false);
  }
  await write(`]${snapshot.dropped ? `,"dropped":${JSON.stringify(snapshot.dropped)}` : ''}}`, false);
  if (!gone) res.end();
}
