import type { ServerResponse } from 'node:http';
import type { TranscriptStore } from '../transcript/store.ts';
import type { LiveDropped, LiveEvicted } from './types.ts';
import type { LiveFindingsHub } from './live-findings.ts';
import type { LiveEvent } from '../transcript/types.ts';
import type { PresenterBoards } from './presenter.ts';

/** Bytes a slow reader may have queued before the stream starts skipping events. */
export const LIVE_QUEUE_BYTES = 4 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;

/**
 * A session's events as Server-Sent Events, so the lab's own plumbing never shows up as a
 * WebSocket in DevTools. Bounded: when the reader falls behind by LIVE_QUEUE_BYTES, events
 * are skipped, and once it catches up it is told how many (`event: dropped`) so it can
 * refetch the snapshot. When the session is evicted, the stream says so (`event: evicted`)
 * and ends. The session's presenter (`event: presenter`) is said when the stream opens and on
 * every change, so a follower's view tracks it. With `findings`, each connection's findings follow its events as they change
 * (`event: findings`), and the session's dropped counts as they grow (`event: counts`).
 */
export function streamSession(store: TranscriptStore, session: string, res: ServerResponse, presenters?: PresenterBoards, findings?: LiveFindingsHub): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    // HTTP/2 forbids connection-specific fields (RFC 9113 §8.2.2): the page may be served over h2.
    ...(res.req.httpVersionMajor >= 2 ? {} : { Connection: 'keep-alive' }),
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 1000\n\n');
  let skipped = 0;
  // What one turn of the event loop produced goes out as one write: a write per event was a
  // system call per event (a classroom's streams made most of the lab's writev time).
  let pending = '';
  let flushing: NodeJS.Immediate | undefined;
  const flush = () => {
    flushing = undefined;
    if (pending !== '' && !res.destroyed) res.write(pending);
    pending = '';
  };
  const write = (text: string) => {
    if (res.destroyed) return;
    if (res.writableLength + pending.length > LIVE_QUEUE_BYTES) {
      skipped += 1;
      return;
    }
    if (skipped > 0) {
      const dropped: LiveDropped = { events: skipped };
      skipped = 0;
      pending += `event: dropped\ndata: ${JSON.stringify(dropped)}\n\n`;
    }
    pending += text;
    if (pending !== '') flushing ??= setImmediate(flush);
  };
  const unsubscribe = store.subscribe(session, {
    live: (live: LiveEvent) => write(`event: lab\ndata: ${JSON.stringify(live)}\n\n`),
    // Said even to a reader that is behind: it is the last thing this stream will say.
    evicted: (eviction) => {
      const evicted: LiveEvicted = eviction;
      if (!res.destroyed) res.end(`${pending}event: evicted\ndata: ${JSON.stringify(evicted)}\n\n`);
      pending = '';
      stop();
    },
  });
  const presenter = (board: ReturnType<PresenterBoards['get']>) => write(`event: presenter\ndata: ${JSON.stringify(board)}\n\n`);
  const unpresent = presenters?.subscribe(session, presenter);
  if (presenters) presenter(presenters.get(session));
  const unwatch = findings?.watch(session, {
    findings: (f) => write(`event: findings\ndata: ${JSON.stringify(f)}\n\n`),
    counts: (c) => write(`event: counts\ndata: ${JSON.stringify(c)}\n\n`),
  });
  const keepalive = setInterval(() => write(': keepalive\n\n'), KEEPALIVE_MS);
  const stop = () => {
    clearInterval(keepalive);
    clearImmediate(flushing);
    unsubscribe();
    unpresent?.();
    unwatch?.();
  };
  res.on('drain', () => skipped > 0 && write(''));
  res.on('close', stop);
  res.on('error', stop);
}
