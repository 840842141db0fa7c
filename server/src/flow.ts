import type { Socket } from 'node:net';
import { wireError, type WireError } from './wire/errors.ts';
import { HeadReader, parseRequestHead, type RequestHead } from './wire/http-head.ts';

/** nginx's `client_header_timeout` default: the whole request head must arrive within it. */
export const DEFAULT_HEAD_TIMEOUT_MS = 60_000;

/**
 * Writes a chunk read from `from` on to `to`. When `to` cannot take more, `from` is paused
 * until `to` drains: a fast sender facing a slow reader then waits in TCP's own buffers
 * instead of growing the lab's memory without limit.
 */
export function relayChunk(from: Socket, to: Socket, chunk: Buffer): void {
  if (to.destroyed || chunk.length === 0) return;
  if (!to.write(chunk) && !from.isPaused()) {
    from.pause();
    to.once('drain', () => from.resume());
  }
}

export interface HeadOptions {
  /** Bytes the head may take; a longer one is answered 431. */
  limit: number;
  /** However the bytes trickle in, the whole head must arrive within this (client_header_timeout). */
  timeoutMs: number;
  /** Reads the head's bytes into a request; the reverse proxy reads them as nginx does. */
  parse?: (raw: Buffer) => RequestHead;
}

export type RequestHeadResult =
  | { ok: true; head: RequestHead; raw: Buffer; rest: Buffer }
  /**
   * `error.status` is the answer: 408 when the time ran out, 431 for a head over the limit,
   * 400 for one that is not HTTP; none (CLIENT_ABORTED) when the client left first.
   */
  | { ok: false; error: WireError; received: Buffer };

/**
 * Reads a socket until its request head is whole, then stops listening and pauses it, so no
 * byte after the head is lost before the caller attaches its own listener and resumes.
 * Bounded in bytes (`limit`) and in time (`timeoutMs`, counted from the first call and never
 * re-armed by a byte, so a client sending one byte a second cannot hold the socket).
 * Every listener of the lab starts this way.
 */
export function readRequestHead(socket: Socket, options: HeadOptions, done: (result: RequestHeadResult) => void): void {
  const reader = new HeadReader({ limit: options.limit, request: true });
  const parse = options.parse ?? parseRequestHead;
  let finished = false;
  const finish = (result: RequestHeadResult) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.removeListener('data', onData);
    socket.removeListener('end', onGone);
    socket.removeListener('close', onGone);
    socket.pause();
    done(result);
  };
  const onData = (chunk: Buffer) => {
    let found;
    try {
      found = reader.push(chunk);
    } catch (err) {
      return finish({ ok: false, error: err as WireError, received: reader.pending() });
    }
    if (!found) return;
    try {
      finish({ ok: true, head: parse(found.head), raw: found.head, rest: found.rest });
    } catch (err) {
      finish({ ok: false, error: err as WireError, received: found.head });
    }
  };
  const onGone = () => {
    const received = reader.pending();
    const message = `the client closed the connection after ${received.length} bytes, before its request head was complete`;
    finish({ ok: false, error: wireError('CLIENT_ABORTED', message), received });
  };
  const timer = setTimeout(() => {
    const received = reader.pending();
    const message = `the request head did not arrive within ${options.timeoutMs} ms (${received.length} bytes received)`;
    finish({ ok: false, error: wireError('HEAD_TIMEOUT', message, { status: 408 }), received });
  }, options.timeoutMs);
  socket.on('data', onData);
  socket.once('end', onGone);
  socket.once('close', onGone);
  socket.resume();
}

/**
 * Watches sockets that have not upgraded (yet): when no byte moved on any of them for `ms`,
 * `onIdle` runs once. Traffic re-arms it, as nginx's proxy_read_timeout does between reads;
 * `stop()` once the connection upgraded (an idle WebSocket is legitimate). It reads the
 * sockets' byte counters rather than adding 'data' listeners, which would start a paused
 * socket flowing and lose its bytes.
 */
export function idleTimer(sockets: readonly Socket[], ms: number, onIdle: () => void): { stop(): void } {
  const moved = () => sockets.reduce((n, s) => n + s.bytesRead + s.bytesWritten, 0);
  let seen = moved();
  let lastChange = Date.now();
  const tick = Math.max(10, Math.floor(ms / 4));
  const timer = setInterval(() => {
    const now = moved();
    if (now !== seen) {
      seen = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange >= ms) {
      stop();
      onIdle();
    }
  }, tick);
  const stop = () => clearInterval(timer);
  for (const socket of sockets) socket.once('close', stop);
  return { stop };
}
