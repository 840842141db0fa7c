import type { Socket } from 'node:net';

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
