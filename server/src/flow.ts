import type { Socket } from 'node:net';
import type { WireError } from './wire/errors.ts';
import { HeadReader, parseRequestHead, type RequestHead } from './wire/http-head.ts';

/**
 * Writes a chunk read from `from` on to `to`. When `to` cannot take more, `from` is paused
 * until `to` drains: a fast sender facing a slow reader then waits in TCP's own buffers
 * instead of growing the lab's memory without limit.
 */
export function relayChunk(from: Socket, to: Socket, chunk: Buffer): void {
  if (to.destroyed) return;
  if (!to.write(chunk) && !from.isPaused()) {
    from.pause();
    to.once('drain', () => from.resume());
  }
}

export type RequestHeadResult =
  | { ok: true; head: RequestHead; raw: Buffer; rest: Buffer }
  /** `error.status` is the answer: 431 for a head over the limit, 400 for one that is not HTTP. */
  | { ok: false; error: WireError; received: Buffer };

/**
 * Reads a socket until its request head is whole (bounded by `limit`), then stops listening
 * and pauses it, so no byte after the head is lost before the caller attaches its own
 * listener and resumes. Every listener of the lab starts this way.
 */
export function readRequestHead(socket: Socket, limit: number, done: (result: RequestHeadResult) => void): void {
  const reader = new HeadReader(limit);
  const onData = (chunk: Buffer) => {
    let found;
    try {
      found = reader.push(chunk);
    } catch (err) {
      socket.removeListener('data', onData);
      socket.pause();
      return done({ ok: false, error: err as WireError, received: reader.pending() });
    }
    if (!found) return;
    socket.removeListener('data', onData);
    socket.pause();
    try {
      done({ ok: true, head: parseRequestHead(found.head), raw: found.head, rest: found.rest });
    } catch (err) {
      done({ ok: false, error: err as WireError, received: found.head });
    }
  };
  socket.on('data', onData);
}
