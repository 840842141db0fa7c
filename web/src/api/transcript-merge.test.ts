import { describe, expect, it } from 'vitest';
import type { Connection, LabEvent, Transcript } from '../../../server/src/transcript/types.ts';
import { mergeTranscript } from './transcript-merge.ts';

const event = (seq: number): LabEvent => ({
  kind: 'error', seq, time: new Date(0).toISOString(), observer: 'echo', from: 'browser', to: 'echo', code: 'X', message: `event ${seq}`,
});
const transcript = (connections: Record<string, number[]>): Transcript => ({
  format: 'ws-upgrade-lab/transcript',
  version: 1,
  session: 's',
  connections: Object.entries(connections).map(([id, seqs]): Connection => ({ id, url: '', route: 'direct', startedAt: '', events: seqs.map(event) })),
});

describe('mergeTranscript', () => {
  it('keeps the held event objects and appends only what the snapshot adds', () => {
    const old = transcript({ a: [1, 2, 3], b: [4] });
    const fresh = transcript({ a: [1, 2, 3, 5], b: [4], c: [6] });
    fresh.connections[0]!.findings = [{ rule: 'r', at: 'echo', summary: 's', why: 'w', reference: 'x' }];
    const merged = mergeTranscript(old, fresh);
    const [a, b, c] = merged.connections;
    expect(a!.events.slice(0, 3).every((e, i) => e === old.connections[0]!.events[i])).toBe(true);
    expect(a!.events.map((e) => e.seq)).toEqual([1, 2, 3, 5]);
    expect(a!.findings).toEqual(fresh.connections[0]!.findings);
    expect(b!.events).toBe(old.connections[1]!.events);
    expect(c).toBe(fresh.connections[2]);
  });

  it('takes the fresh copy when the held events are not its prefix (the live stream skipped some)', () => {
    const old = transcript({ a: [1, 2, 4] });
    const fresh = transcript({ a: [1, 2, 3, 4] });
    expect(mergeTranscript(old, fresh)).toBe(fresh);
    expect(mergeTranscript(undefined, fresh)).toBe(fresh);
  });

  it('passes anything but two transcripts through: react-query merges select results with it too', () => {
    const a = transcript({ a: [1] }).connections[0];
    const b = transcript({ b: [2] }).connections[0];
    expect(mergeTranscript(a, b)).toBe(b);
    expect(mergeTranscript([1], undefined)).toBeUndefined();
  });
});
