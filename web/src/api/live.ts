import { useEffect, useState } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { LabEvent } from '../../../server/src/transcript/types.ts';
import type { LiveDropped, LiveEvicted, PresenterBoardState } from '../../../server/src/api/types.ts';
import { receivePresenter } from '../features/follow/presenter-sync.ts';
import type { LiveEvent } from '../../../server/src/transcript/types.ts';
import { livePath } from './client.ts';
import { applyLiveEvents } from './live-apply.ts';
import { evictedQuery, transcriptQuery } from './queries.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** Live events are applied in batches: at most this often, so a flood of frames renders smoothly. */
const FLUSH_MS = 60;
/** Findings are computed with the snapshot, not streamed: refetch it this long after an event that may change them. */
const FINDINGS_REFETCH_MS = 400;
/** Beyond this many held events, drop them and refetch the snapshot instead. */
const MAX_QUEUE = 200_000;

function mayChangeFindings(event: LabEvent): boolean {
  return event.kind === 'response' || event.kind === 'close' || event.kind === 'error' || event.kind === 'open';
}

/**
 * Keeps the transcript query of `session` up to date from `GET /api/sessions/:session/live`.
 * Live events are queued while a snapshot fetch is in flight and applied after it lands,
 * de-duplicated by seq; `event: dropped` and every (re)connect of the stream refetch the
 * snapshot, so nothing the stream skipped stays missing.
 */
export function useLiveTranscript(session: string | null): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!session) return;
    setStatus('connecting');
    const stream = new LiveStream(queryClient, session, setStatus);
    return () => stream.stop();
  }, [queryClient, session]);

  return status;
}

class LiveStream {
  private readonly source: EventSource;
  private readonly queryKey;
  private queue: LiveEvent[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private refetchTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly queryClient: QueryClient,
    session: string,
    private readonly onStatus: (status: LiveStatus) => void,
  ) {
    const options = transcriptQuery(session);
    this.queryKey = options.queryKey;
    this.source = new EventSource(livePath(session));
    this.source.addEventListener('open', this.onOpen);
    this.source.addEventListener('error', this.onError);
    this.source.addEventListener('lab', this.onLab);
    this.source.addEventListener('dropped', this.onDropped);
    this.source.addEventListener('evicted', this.onEvicted);
    this.source.addEventListener('presenter', this.onPresenter);
    // When a snapshot lands, apply what was held back while it was in flight.
    this.unsubscribe = queryClient.getQueryCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'success' && e.query.queryHash === this.hash() && this.queue.length > 0) {
        this.scheduleFlush();
      }
    });
  }

  stop(): void {
    this.source.close();
    this.unsubscribe();
    clearTimeout(this.flushTimer);
    clearTimeout(this.refetchTimer);
    this.queue = [];
  }

  private hash(): string | undefined {
    return this.queryClient.getQueryCache().find({ queryKey: this.queryKey, exact: true })?.queryHash;
  }

  private readonly onOpen = () => {
    this.onStatus('live');
    // Events appended between the snapshot and this (re)connect never reached us: refetch.
    this.refetch();
  };

  private readonly onError = () => {
    // EventSource retries by itself unless the server refused the stream outright.
    this.onStatus(this.source.readyState === EventSource.CLOSED ? 'stopped' : 'reconnecting');
  };

  private readonly onLab = (message: MessageEvent<string>) => {
    const live = JSON.parse(message.data) as LiveEvent;
    this.queue.push(live);
    if (this.queue.length > MAX_QUEUE) {
      this.queue = [];
      this.refetch();
      return;
    }
    if (mayChangeFindings(live.event)) {
      clearTimeout(this.refetchTimer);
      this.refetchTimer = setTimeout(() => this.refetch(), FINDINGS_REFETCH_MS);
    }
    this.scheduleFlush();
  };

  /** The session's presenter, when the stream opens and on every change: a following tab goes there. */
  private readonly onPresenter = (message: MessageEvent<string>) => {
    receivePresenter(JSON.parse(message.data) as PresenterBoardState);
  };

  private readonly onDropped = (message: MessageEvent<string>) => {
    const dropped = JSON.parse(message.data) as LiveDropped;
    console.info(`live stream skipped ${dropped.events} events; refetching the transcript`);
    this.refetch();
  };

  /** The lab forgot the session: nothing more will come. Say so (EvictedNotice) and stop reconnecting. */
  private readonly onEvicted = (message: MessageEvent<string>) => {
    const evicted = JSON.parse(message.data) as LiveEvicted;
    this.source.close();
    this.onStatus('stopped');
    this.queryClient.setQueryData(evictedQuery(evicted.session).queryKey, evicted);
  };

  private refetch(): void {
    void this.queryClient.refetchQueries({ queryKey: this.queryKey, exact: true });
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, FLUSH_MS);
  }

  private flush(): void {
    const state = this.queryClient.getQueryState(this.queryKey);
    // Hold events until a snapshot exists and none is in flight; the cache subscription flushes later.
    if (!state || state.data === undefined || state.fetchStatus === 'fetching') return;
    const batch = this.queue;
    this.queue = [];
    window.__labPerf?.flushStarted();
    this.queryClient.setQueryData(this.queryKey, (old) => (old ? applyLiveEvents(old, batch) : old));
  }
}
