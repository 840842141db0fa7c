import { beforeEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../../server/src/transcript/types.ts';
import { AllMessages } from './message-filter.ts';
import { MessageModel, messageText } from './message-model.ts';
import { RowMap } from './row-map.ts';
import { frame, request, resetSeq, throughProxy } from './test-frames.ts';

beforeEach(resetSeq);

const summary = (model: MessageModel) =>
  model.messages.map((m) => [m.index, m.direction, m.opcode, messageText(m).text, m.legs.map((l) => `${l.observer}:${l.from}>${l.to}×${l.frames.length}`).join(' ')]);

describe('MessageModel grouping', () => {
  it('a direct connection: each frame the echo server saw is one message, in order', () => {
    const model = new MessageModel();
    model.sync([request('echo', 'browser', 'echo'), frame('echo', 'browser', 'echo', 'Hello'), frame('echo', 'echo', 'browser', 'Hello')]);
    expect(summary(model)).toEqual([
      [0, 'out', 1, 'Hello', 'echo:browser>echo×1'],
      [1, 'in', 1, 'Hello', 'echo:echo>browser×1'],
    ]);
  });

  it('through a proxy: one message per exchange, with every hop that saw it as a leg', () => {
    const model = new MessageModel();
    model.sync([...throughProxy('out', 'Hello, WebSocket'), ...throughProxy('in', 'Hello, WebSocket')]);
    expect(summary(model)).toEqual([
      [0, 'out', 1, 'Hello, WebSocket', 'reverse-proxy:browser>reverse-proxy×1 reverse-proxy:reverse-proxy>echo×1 echo:reverse-proxy>echo×1'],
      [1, 'in', 1, 'Hello, WebSocket', 'echo:echo>reverse-proxy×1 reverse-proxy:echo>reverse-proxy×1 reverse-proxy:reverse-proxy>browser×1'],
    ]);
    expect(model.messages.every((m) => !m.differs)).toBe(true);
  });

  it('legs that arrive interleaved with later messages still join the right message (the k-th each way)', () => {
    const model = new MessageModel();
    const [a1, a2, a3] = throughProxy('out', 'one');
    const [b1, b2, b3] = throughProxy('out', 'two');
    model.sync([a1!, b1!, a2!, b2!, a3!, b3!]);
    expect(model.messages.map((m) => [messageText(m).text, m.legs.length])).toEqual([
      ['one', 3],
      ['two', 3],
    ]);
  });

  it('a fragmented message is one message, and a ping between its fragments is another (RFC 6455 §5.4)', () => {
    const model = new MessageModel();
    model.sync([
      frame('echo', 'echo', 'browser', 'Hel', { fin: false }),
      frame('echo', 'echo', 'browser', 'ping!', { opcode: 0x9 }),
      frame('echo', 'echo', 'browser', 'lo', { opcode: 0x0 }),
    ]);
    expect(summary(model)).toEqual([
      [0, 'in', 1, 'Hello', 'echo:echo>browser×2'],
      [1, 'in', 9, 'ping!', 'echo:echo>browser×1'],
    ]);
    expect(model.messages[0]!.length).toBe(5);
  });

  it('frames are numbered by frame, whatever other events came between them', () => {
    const model = new MessageModel();
    const events = [request('echo', 'browser', 'echo'), request('echo', 'browser', 'echo'), frame('echo', 'browser', 'echo', 'a'), frame('echo', 'echo', 'browser', 'a')];
    model.sync(events);
    expect(model.frameNumber(events[2]!.seq)).toBe(1);
    expect(model.frameNumber(events[3]!.seq)).toBe(2);
    expect(model.frameNumber(events[0]!.seq)).toBeUndefined();
    expect(model.locate(events[3]!.seq)).toMatchObject({ message: { index: 1 }, position: 0 });
  });

  it('says when a hop passed on other bytes than it received', () => {
    const model = new MessageModel();
    model.sync([frame('reverse-proxy', 'browser', 'reverse-proxy', 'original'), frame('echo', 'reverse-proxy', 'echo', 'altered')]);
    expect(model.messages[0]!.differs).toBe(true);
  });

  it('close frames read as code and reason; binary payloads as hex', () => {
    const model = new MessageModel();
    model.sync([
      frame('echo', 'browser', 'echo', '\u000f\u00a0done', { opcode: 0x8, close: { code: 4000, reason: 'done' } }),
      frame('echo', 'echo', 'browser', '', { opcode: 0x2, payload: Buffer.from([1, 2, 255]).toString('base64'), length: 3 }),
    ]);
    expect(model.messages.map((m) => [messageText(m).text, messageText(m).binary])).toEqual([
      ['4000 “done”', false],
      ['01 02 ff', true],
    ]);
  });
});

describe('MessageModel is incremental', () => {
  it('continues from a longer copy of the same events, and counts only what is new', () => {
    const model = new MessageModel();
    const first: LabEvent[] = [...throughProxy('out', 'one')];
    model.sync(first);
    const version = model.version;
    const messages = model.messages;
    // The live stream appends by copying the array once per batch: the same events, more of them.
    const second = [...first, ...throughProxy('in', 'one')];
    expect(model.sync(second)).toBe(true);
    expect(model.version).toBe(version + 1);
    expect(model.messages).toBe(messages);
    expect(model.counts.direction).toEqual({ out: 1, in: 1 });
    expect(model.lowestTouchedSince(version)).toBe(1);
    expect(model.sync(second)).toBe(false);
  });

  it('starts again when handed a different transcript', () => {
    const model = new MessageModel();
    model.sync(throughProxy('out', 'one'));
    const version = model.version;
    resetSeq();
    model.sync([frame('echo', 'browser', 'echo', 'other')]);
    expect(summary(model)).toEqual([[0, 'out', 1, 'other', 'echo:browser>echo×1']]);
    expect(model.lowestTouchedSince(version)).toBeUndefined();
  });

  it('a late leg of an old message marks that message as touched', () => {
    const model = new MessageModel();
    const [a1, a2, a3] = throughProxy('out', 'one');
    const events: LabEvent[] = [a1!, a2!, ...throughProxy('in', 'one')];
    model.sync(events);
    const version = model.version;
    model.sync([...events, a3!]);
    expect(model.lowestTouchedSince(version)).toBe(0);
  });

  it('keeps filter counts per message, not per frame', () => {
    const model = new MessageModel();
    model.sync([...throughProxy('out', 'a'), ...throughProxy('in', 'a'), frame('echo', 'echo', 'reverse-proxy', 'p', { opcode: 0x9 })]);
    expect(model.counts.direction).toEqual({ out: 1, in: 2 });
    expect([...model.counts.opcode]).toEqual([
      [1, 2],
      [9, 1],
    ]);
    expect(Object.fromEntries(model.counts.observer)).toEqual({ 'reverse-proxy': 2, echo: 3 });
    expect(model.counts.leg.get('leg:reverse-proxy:browser|reverse-proxy')).toBe(2);
  });
});

describe('RowMap', () => {
  it('puts an expanded message’s frames right under it, leg by leg', () => {
    const model = new MessageModel();
    model.sync([...throughProxy('out', 'a'), ...throughProxy('in', 'a'), ...throughProxy('out', 'b')]);
    const rows = new RowMap(new AllMessages(model), model, [1]);
    expect(rows.count).toBe(6);
    const kinds = Array.from({ length: rows.count }, (_, r) => {
      const row = rows.rowAt(r)!;
      return row.kind === 'message' ? `m${row.index}` : `f${row.index}.${row.nth}:${row.leg.observer}`;
    });
    expect(kinds).toEqual(['m0', 'm1', 'f1.0:echo', 'f1.1:reverse-proxy', 'f1.2:reverse-proxy', 'm2']);
    expect(rows.rowOfMessage(2)).toBe(5);
    expect(rows.rowOfFrame(1, model.messages[1]!.legs[1]!.frames[0]!.seq)).toBe(3);
    expect(rows.rowAt(6)).toBeUndefined();
  });
});
