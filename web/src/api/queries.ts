import { queryOptions } from '@tanstack/react-query';
import type { LiveEvicted } from '../../../server/src/api/types.ts';
import { getInfo, getTranscript } from './client.ts';
import { mergeTranscript } from './transcript-merge.ts';

/** `GET /api/info`: ports, presets, faults; fixed for the life of the lab process. */
export const infoQuery = () =>
  queryOptions({
    queryKey: ['info'] as const,
    queryFn: ({ signal }) => getInfo(signal),
    staleTime: Infinity,
  });

/**
 * `GET /api/sessions/:session/transcript`: the snapshot the live stream is applied to.
 * No deep structural sharing: a transcript may hold 100,000 frames and the live stream appends
 * to it many times a second, so a deep compare on every update would dominate. A refetched
 * snapshot keeps the event objects already held instead (mergeTranscript), so views kept
 * incrementally carry on from where they were.
 */
export const transcriptQuery = (session: string) =>
  queryOptions({
    queryKey: ['transcript', session] as const,
    queryFn: ({ signal }) => getTranscript(session, signal),
    staleTime: Infinity,
    structuralSharing: (old: unknown, fresh: unknown) => mergeTranscript(old, fresh),
    refetchOnWindowFocus: false,
    retry: (count, error) => count < 2 && !('status' in error && error.status === 404),
  });

/**
 * The live stream's `event: evicted` for a session: the lab forgot it to stay within its
 * capture budget. Never fetched: the live stream sets it (null until then).
 */
export const evictedQuery = (session: string) =>
  queryOptions({
    queryKey: ['evicted', session] as const,
    queryFn: (): LiveEvicted | null => null,
    staleTime: Infinity,
  });
