import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LabEvent } from '../../../../server/src/transcript/types.ts';
import { canNarrow, compileFilter, FilteredMessages, hexQuery, NO_FILTER, type MessageFilter } from './message-filter.ts';
import { filterOptions } from './filter-options.ts';
import { MessageModel, messageText } from './message-model.ts';
import { resetSeq, throughProxy } from './test-frames.ts';

beforeEach(resetSeq);

const modelOf = (events: LabEvent[]) => {
  const model = new MessageModel();
  model.sync(events);
  return model;
};

function matching(model: MessageModel, filter: Partial<MessageFilter>): string[] {
  const compiled = compileFilter({ ...NO_FILTER, ...filter });
  if ('error' in compiled) throw new Error(compiled.error);
  const view = new FilteredMessages(model, compiled.match);
  view.sync();
  return view.indices.map((i) => messageText(model.messages[i]!).text);
}

describe('compileFilter', () => {
  const model = () =>
    modelOf([
      ...throughProxy('out', 'Hello, WebSocket'),
      ...throughProxy('in', 'Hello, WebSocket'),
      ...throughProxy('in', '', { opcode: 0x2, payload: Buffer.from([0x48, 0x69, 0xff, 0xfe]).toString('base64'), length: 4 }),
      ...throughProxy('out', 'bye', { opcode: 0x8, close: { code: 4000, reason: 'bye' } }),
    ]);

  it('text search ignores case and reads binary messages as hex', () => {
    expect(matching(model(), { search: 'websocket' })).toEqual(['Hello, WebSocket', 'Hello, WebSocket']);
    expect(matching(model(), { search: 'ff fe' })).toEqual(['48 69 ff fe']);
  });

  it('plain search takes its characters literally', () => {
    expect(matching(model(), { search: '“bye”' })).toEqual(['4000 “bye”']);
    expect(matching(model(), { search: 'Hello, (' })).toEqual([]);
  });

  it('a hex search finds the bytes inside text messages too', () => {
    expect(hexQuery('48 65')).toBe('He');
    expect(hexQuery('0x48,0x65')).toBe('He');
    expect(hexQuery('xyz')).toBeUndefined();
    expect(hexQuery('486')).toBeUndefined();
    expect(matching(model(), { search: '4869' })).toEqual(['48 69 ff fe']);
    expect(matching(model(), { search: '48 65 6c 6c 6f' })).toEqual(['Hello, WebSocket', 'Hello, WebSocket']);
  });

  it('regex search, and a clear error for a pattern that does not compile', () => {
    expect(matching(model(), { search: '^hel+o', regex: true })).toEqual(['Hello, WebSocket', 'Hello, WebSocket']);
    expect(compileFilter({ ...NO_FILTER, search: '(', regex: true })).toMatchObject({ error: expect.stringMatching(/^Not a regular expression: /) });
  });

  it('direction, opcode and hop', () => {
    expect(matching(model(), { direction: 'out' })).toEqual(['Hello, WebSocket', '4000 “bye”']);
    expect(matching(model(), { opcode: '2' })).toEqual(['48 69 ff fe']);
    expect(matching(model(), { hop: 'leg:reverse-proxy:browser|reverse-proxy', opcode: '1' })).toEqual(['Hello, WebSocket', 'Hello, WebSocket']);
    expect(matching(model(), { hop: 'observer:echo', direction: 'in' })).toEqual(['Hello, WebSocket', '48 69 ff fe']);
  });
});

describe('filterOptions', () => {
  it('lists choices with message counts, parties left to right', () => {
    const m = modelOf([...throughProxy('out', 'a'), ...throughProxy('in', 'a')]);
    const options = filterOptions(m.counts, m.messages.length);
    expect(options.direction.map((o) => o.label)).toEqual(['Both directions (2)', '↑ sent by the client (1)', '↓ received by the client (1)']);
    expect(options.opcode.map((o) => o.label)).toEqual(['Every opcode (2)', 'text (2)']);
    expect(options.hop.map((o) => o.label)).toEqual([
      'Every hop (2)',
      'seen by the reverse proxy (2)',
      'seen by the reverse proxy: browser ↔ reverse-proxy (2)',
      'seen by the reverse proxy: echo ↔ reverse-proxy (2)',
      'seen by the echo server (2)',
    ]);
  });
});

describe('FilteredMessages stays equal to a fresh filter, however the events arrive', () => {
  const exchange = fc.record({
    way: fc.constantFrom('out' as const, 'in' as const),
    text: fc.constantFrom('alpha', 'beta', 'Alphabet', 'gamma'),
    opcode: fc.constantFrom(0x1, 0x9),
  });
  const filters = fc.record({
    direction: fc.constantFrom('all' as const, 'out' as const, 'in' as const),
    opcode: fc.constantFrom('all', '1', '9'),
    hop: fc.constantFrom('all', 'observer:echo', 'leg:reverse-proxy:browser|reverse-proxy'),
    search: fc.constantFrom('', 'alpha', 'bet'),
    regex: fc.boolean(),
  });

  it('for batches of any size, legs interleaved', () => {
    fc.assert(
      fc.property(fc.array(exchange, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), filters, fc.boolean(), (exchanges, sizes, filter, shuffle) => {
        resetSeq();
        const legs = exchanges.map((x) => throughProxy(x.way, x.text, { opcode: x.opcode }));
        // Legs of neighbouring messages may interleave; each leg keeps its own order.
        const events: LabEvent[] = shuffle ? legs.flatMap((l, i) => (i % 2 === 0 ? l : [l[2]!, l[0]!, l[1]!])) : legs.flat();
        events.forEach((e, i) => (e.seq = i + 1));
        const live = new MessageModel();
        const compiled = compileFilter(filter);
        if ('error' in compiled) return;
        const view = new FilteredMessages(live, compiled.match);
        let at = 0;
        for (let b = 0; at < events.length; b++) {
          at = Math.min(events.length, at + sizes[b % sizes.length]!);
          live.sync(events.slice(0, at));
          view.sync();
          const fresh = new FilteredMessages(modelOf(events.slice(0, at)), compiled.match);
          fresh.sync();
          expect(view.indices).toEqual(fresh.indices);
        }
      }),
    );
  });
});

describe('typing one more letter narrows the last result instead of searching everything again', () => {
  it('narrowed views equal fresh ones, and hex searches are never narrowed', () => {
    const model = modelOf([...throughProxy('out', 'alpha'), ...throughProxy('out', 'alphabet'), ...throughProxy('in', 'beta')]);
    const view = (search: string) => {
      const c = compileFilter({ ...NO_FILTER, search });
      if ('error' in c) throw new Error(c.error);
      return c.match;
    };
    const a = new FilteredMessages(model, view('alp'));
    a.sync();
    expect(canNarrow({ ...NO_FILTER, search: 'alp' }, { ...NO_FILTER, search: 'alphab' })).toBe(true);
    const narrowed = a.narrowed(view('alphab'));
    const fresh = new FilteredMessages(model, view('alphab'));
    fresh.sync();
    expect(narrowed.indices).toEqual(fresh.indices);
    expect(narrowed.indices).toEqual([1]);
    expect(canNarrow({ ...NO_FILTER, search: '4' }, { ...NO_FILTER, search: '48' })).toBe(false);
    expect(canNarrow({ ...NO_FILTER, search: 'al' }, { ...NO_FILTER, search: 'beta' })).toBe(false);
    expect(canNarrow({ ...NO_FILTER, search: 'al' }, { ...NO_FILTER, search: 'alp', regex: true })).toBe(false);
  });
});
