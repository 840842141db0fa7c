import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TranscriptSnapshot } from '../transcript/store.ts';
import { TRANSCRIPT_FORMAT } from '../transcript/types.ts';
import type { Findings } from './findings.ts';

/** JSON written per turn of the event loop before letting sockets and timers run again. */
export const SLICE_BYTES = 256 * 1024;
/** Events serialized per turn, however small. */
export const SLICE_EVENTS = 500;

/**
 * A transcript (with its findings) written as JSON piece by piece: a few hundred KiB of events
 * per turn of the event loop, waiting whenever the reader is behind. A full transcript is
 * tens of MB of JSON; building it as one string would stall every tunnel the lab relays for
 * as long as that takes, and hold the whole string in memory. Findings follow each
 * connection's events (findings.ts computes them off the event loop for large connections).
 */
export async function streamTranscript(snapshot: TranscriptSnapshot, res: ServerResponse, findings: Findings): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  let gone = false;
  res.once('close', () => (gone = true));
  const write = async (text: string, yieldAfter: boolean) => {
    if (gone) return;
    if (!res.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.removeListener('drain', done);
          res.removeListener('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
    }
    // Also after a drain: 'drain' fires while libuv is still reading the sockets' events, and a
    // fast reader would have us write slice after slice before timers ever ran again.
    if (yieldAfter) await nextTurn();
  };
  await write(`{"format":${JSON.stringify(TRANSCRIPT_FORMAT)},"version":1,"session":${JSON.stringify(snapshot.session)},"connections":[`, false);
  for (let i = 0; i < snapshot.connections.length && !gone; i++) {
    const { meta, events, count } = snapshot.connections[i]!;
    const job = findings.job(meta, events, count);
    await write(`${i === 0 ? '' : ','}${JSON.stringify(meta).slice(0, -1)},"events":[`, false);
    let piece = '';
    let from = 0;
    for (let e = 0; e < count && !gone; e++) {
      piece += (e === 0 ? '' : ',') + JSON.stringify(events[e]);
      if (piece.length >= SLICE_BYTES || e - from >= SLICE_EVENTS) {
        job.add(events.slice(from, e + 1));
        from = e + 1;
        await write(piece, true);
        piece = '';
      }
    }
    job.add(events.slice(from, count));
    // Always collected, even for a reader that left: the worker lets go of the job only then.
    const found = await job.finish();
    await write(`${piece}],"findings":${JSON.stringify(found)}}`, false);
  }
  const imported = snapshot.imported ? `,"imported":${JSON.stringify(snapshot.imported)}` : '';
  await write(`]${snapshot.dropped ? `,"dropped":${JSON.stringify(snapshot.dropped)}` : ''}${imported}}`, false);
  if (!gone) res.end();
}
