import { describe, expect, it } from 'vitest';
import { CapturedFrame, ENCODE_AT_ONCE_BYTES, frameBase64Chars } from '../../src/transcript/captured-frame.ts';
import { eventCost } from '../../src/transcript/budget.ts';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';

const seen = { observer: 'echo', from: 'browser', to: 'echo' } as const;
const frame = (payload: Buffer) => ({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, masked: true, length: payload.length, payload, truncated: false, maskKey: Buffer.from('01020304', 'hex') });

describe('a captured frame keeps its bytes and reads as the contract says', () => {
  for (const size of [5, ENCODE_AT_ONCE_BYTES + 1, 64 * 1024]) {
    it(`${size} bytes: payload and inflated read as base64, JSON as a plain FrameEvent`, () => {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 31) & 0xff;
      const inflated = Buffer.concat([bytes, bytes]);
      const event = new CapturedFrame(seen, frame(bytes), { data: inflated, length: inflated.length + 10 });
      expect(event.payload).toBe(bytes.toString('base64'));
      expect(event.inflated).toBe(inflated.toString('base64'));
      expect(frameBase64Chars(event as never)).toBe(bytes.toString('base64').length + inflated.toString('base64').length);
      const json = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
      expect(json).toEqual({
        kind: 'frame', seq: 0, time: '', observer: 'echo', from: 'browser', to: 'echo', fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2,
        masked: true, maskKey: '01020304', length: size, payload: bytes.toString('base64'), truncated: false,
        inflated: inflated.toString('base64'), inflatedLength: inflated.length + 10,
      });
    });
  }

  it('the store counts it as it counts the same frame with base64 strings, and keeps it readable', () => {
    const bytes = Buffer.alloc(70_000, 7);
    const lazy = new CapturedFrame(seen, frame(bytes));
    const plain = { kind: 'frame', ...seen, fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 2, masked: true, maskKey: '01020304', length: bytes.length, payload: bytes.toString('base64'), truncated: false } as const;
    expect(eventCost(lazy as never)).toBe(eventCost(plain));
    const store = new MemoryTranscriptStore();
    const session = store.createSession();
    store.openConnection(session, 'c', { url: 'ws://x/', route: 'direct' });
    store.append(session, 'c', lazy as never);
    const [read] = store.read(session)!.connections[0]!.events;
    expect(read).toMatchObject({ seq: 1, payload: bytes.toString('base64') });
    expect(JSON.parse(JSON.stringify(read))).toMatchObject({ seq: 1, payload: bytes.toString('base64') });
  });
});
