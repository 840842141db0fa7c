import { describe, expect, it } from 'vitest';
import type { Connection, LabEvent } from '../../../../server/src/transcript/types.ts';
import { summarize } from './connection-state.ts';

const seen = (seq: number) => ({ seq, time: new Date(0).toISOString() });
const response = (seq: number, status: number): LabEvent => ({
  kind: 'response', ...seen(seq), observer: 'echo', from: 'echo', to: 'browser', status, reason: '', httpVersion: '1.1', headers: [],
});
const close = (seq: number, observer: 'echo' | 'browser', code: number, wasClean: boolean): LabEvent => ({
  kind: 'close', ...seen(seq), observer, from: observer === 'echo' ? 'browser' : 'echo', to: observer, code, reason: '', wasClean,
});
const connection = (id: string, events: LabEvent[]): Connection => ({ id, url: 'ws://x/echo', route: 'direct', startedAt: '', events });

describe('summarize, from what the hops recorded', () => {
  it('reads a refusal, an open connection and how it closed', () => {
    expect(summarize('a', connection('a', [response(1, 403)]), undefined)).toMatchObject({ state: 'refused 403', tone: 'error', ended: true });
    expect(summarize('b', connection('b', [response(1, 101)]), undefined)).toMatchObject({ state: 'open', tone: 'ok', ended: false });
    const events = [response(1, 101), close(2, 'echo', 1000, true), close(3, 'browser', 4000, true), close(4, 'echo', 1006, false)];
    expect(summarize('c', connection('c', events), undefined)).toMatchObject({ state: 'closed 4000', tone: 'done', ended: true });
  });

  it('reads only what was appended since last time, and starts again on another list', () => {
    const events = [response(1, 101)];
    expect(summarize('d', connection('d', events), undefined).state).toBe('open');
    const more = [...events, close(2, 'echo', 1006, false)];
    expect(summarize('d', connection('d', more), undefined)).toMatchObject({ state: 'closed 1006', ended: true });
    // A refetched snapshot is a new list of new objects: read from the start.
    expect(summarize('d', connection('d', [response(1, 101)]), undefined)).toMatchObject({ state: 'open', ended: false });
  });

  it("this page's own socket has the last word", () => {
    const meta = { url: 'ws://x/echo', route: 'direct' as const };
    expect(summarize('e', undefined, { meta, phase: 'closed', close: { code: 1000, reason: '', wasClean: true } })).toMatchObject({
      state: 'closed 1000',
      tone: 'done',
      ended: true,
    });
  });
});
