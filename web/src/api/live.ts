import { useEffect, useState } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { LiveCounts, LiveDropped, LiveEvicted, LiveFindings, PresenterBoardState } from '../../../server/src/api/types.ts';
import { receivePresenter } from '../features/follow/presenter-sync.ts';
import type { LiveEvent } from '../../../server/src/transcript/types.ts';
import { livePath } from './client.ts';
import { applyLiveEvents, applyLiveFindings, findingsUpTo } from './live-apply.ts';
import { evictedQuery, transcriptQuery } from './queries.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** Live events are applied in batches: at most this often, so a flood of frames renders smoothly. */
const FLUSH_MS = 60;
/** Beyond this many held events, drop them and refetch the snapshot instead. */
const MAX_QUEUE = 200_000;

/**
 * Keeps the transcript query of `session` up to date from `GET /api/sessions/:session/live`.
 * Live events are queued while a snapshot fetch is in flight and applied after it lands,
 * de-duplicated by seq; `event: dropped` and every (re)connect of the stream refetch the
 * snapshot, so nothing the stream skipped stays missing. Findings and dropped counts arrive on
 * the stream too (`event: findings`, `event: counts`), as the lab recomputes them: the
 * snapshot is never refetched to learn them.
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
  private findings: LiveFindings[] = [];
  private counts: LiveCounts | undefined;
  /** Per connection, the last event seq the findings shown reflect. */
  private readonly findingsUpTo = new Map<string, number>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
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
    this.source.addEventListener('findings', this.onFindings);
    this.source.addEventListener('counts', this.onCounts);
    this.source.addEventListener('evicted', this.onEvicted);
    this.source.addEventListener('presenter', this.onPresenter);
    // When a snapshot lands, apply what was held back while it was in flight.
    this.unsubscribe = queryClient.getQueryCache().subscribe((e) => {
      if (e.type !== 'updated' || e.action.type !== 'success' || e.query.queryHash !== this.hash()) return;
      // A fetched snapshot (not our own setQueryData): its findings reflect every event it holds.
      if (!e.action.manual && e.query.state.data) findingsUpTo(e.query.state.data as Parameters<typeof findingsUpTo>[0], this.findingsUpTo);
      if (this.queue.length > 0 || this.findings.length > 0 || this.counts) this.scheduleFlush();
    });
  }

  stop(): void {
    this.source.close();
    this.unsubscribe();
    clearTimeout(this.flushTimer);
    this.queue = [];
    this.findings = [];
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
    this.scheduleFlush();
  };

  private readonly onFindings = (message: MessageEvent<string>) => {
    this.findings.push(JSON.parse(message.data) as LiveFindings);
    this.scheduleFlush();
  };

  private readonly onCounts = (message: MessageEvent<string>) => {
    this.counts = JSON.parse(message.data) as LiveCounts;
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
    const findings = this.findings;
    const counts = this.counts;
    this.queue = [];
    this.findings = [];
    this.counts = undefined;
    window.__labPerf?.flushStarted();
    this.queryClient.setQueryData(this.queryKey, (old) =>
      old ? applyLiveFindings(applyLiveEvents(old, batch), findings, this.findingsUpTo, counts) : old,
    );
  }
}
