import { describe, expect, it } from 'vitest';
import type { LabEvent, LiveEvent, Transcript } from '../../../server/src/transcript/types.ts';
import { applyLiveEvents, applyLiveFindings, findingsUpTo } from './live-apply.ts';

const event = (seq: number): LabEvent => ({
  kind: 'error', seq, time: new Date(0).toISOString(), observer: 'echo', from: 'browser', to: 'echo', code: 'X', message: `event ${seq}`,
});
const live = (conn: string, seq: number): LiveEvent => ({ connection: { id: conn, url: '', route: 'direct', startedAt: '' }, event: event(seq) });

describe('applyLiveEvents', () => {
  it('appends in place, renews only the connections that grew, and skips what the snapshot already has', () => {
    const snapshot: Transcript = {
      format: 'ws-upgrade-lab/transcript',
      version: 1,
      session: 's',
      connections: [
        { id: 'a', url: '', route: 'direct', startedAt: '', events: [event(1), event(2)] },
        { id: 'b', url: '', route: 'direct', startedAt: '', events: [event(3)] },
      ],
    };
    const [a, b] = snapshot.connections;
    const events = a!.events;
    const next = applyLiveEvents(snapshot, [live('a', 2), live('a', 4), live('c', 5), live('a', 6)]);
    expect(next).not.toBe(snapshot);
    expect(next.connections[0]).not.toBe(a);
    expect(next.connections[0]!.events).toBe(events);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 4, 6]);
    expect(next.connections[1]).toBe(b);
    expect(next.connections[2]).toMatchObject({ id: 'c', events: [{ seq: 5 }] });
    expect(applyLiveEvents(next, [live('a', 6)])).toBe(next);
  });

  it('takes the route the first hop saw over the one the page registered (a live page is not left showing the choice)', () => {
    const snapshot: Transcript = {
      format: 'ws-upgrade-lab/transcript',
      version: 1,
      session: 's',
      connections: [{ id: 'a', url: '', route: 'forward-proxy', chosenRoute: 'forward-proxy', startedAt: '', events: [] }],
    };
    const seen: LiveEvent = { connection: { id: 'a', url: '', route: 'direct', chosenRoute: 'forward-proxy', startedAt: '' }, event: event(1) };
    const next = applyLiveEvents(snapshot, [seen]);
    expect(next.connections[0]).toMatchObject({ route: 'direct', chosenRoute: 'forward-proxy', events: [{ seq: 1 }] });
    // Already there: nothing changes.
    expect(applyLiveEvents(next, [seen])).toBe(next);
  });
});

describe('applyLiveFindings', () => {
  const finding = (rule: string) => ({ rule, at: 'echo' as const, summary: rule, why: '', reference: '' });
  const snapshot = (): Transcript => ({
    format: 'ws-upgrade-lab/transcript',
    version: 1,
    session: 's',
    connections: [
      { id: 'a', url: '', route: 'direct', startedAt: '', events: [event(1), event(4)], findings: [finding('from-the-snapshot')] },
      { id: 'b', url: '', route: 'direct', startedAt: '', events: [event(2)] },
    ],
  });

  it('sets findings newer than the snapshot, skips older ones, and the dropped counts', () => {
    const t = snapshot();
    const upTo = new Map<string, number>();
    findingsUpTo(t, upTo);
    const next = applyLiveFindings(
      t,
      [
        { connection: 'a', upTo: 3, findings: [finding('older-than-the-snapshot')] },
        { connection: 'b', upTo: 2, findings: [finding('live')] },
        { connection: 'gone', upTo: 9, findings: [] },
      ],
      upTo,
      { dropped: { events: 5, payloadBytes: 10 } },
    );
    expect(next.connections[0]).toBe(t.connections[0]);
    expect(next.connections[0]!.findings!.map((f) => f.rule)).toEqual(['from-the-snapshot']);
    expect(next.connections[1]!.findings!.map((f) => f.rule)).toEqual(['live']);
    expect(next.dropped).toEqual({ events: 5, payloadBytes: 10 });
    // Once applied, an older computation cannot take their place.
    const later = applyLiveFindings(next, [{ connection: 'b', upTo: 1, findings: [] }], upTo);
    expect(later).toBe(next);
  });
});
