import { describe, expect, it } from 'vitest';
import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { fields, rows } from './HeaderDiagram.tsx';

const frame = (fields: Partial<FrameEvent>): FrameEvent => ({
  kind: 'frame', seq: 1, time: '', observer: 'echo', from: 'echo', to: 'browser',
  fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, masked: false, length: 5, payload: '', truncated: false, ...fields,
});
const layout = (f: FrameEvent) => rows(fields(f)).map((row) => row.map((c) => `${c.name}${c.continued ? '+' : ''}[${c.span}]=${c.value}`));

describe('the frame header diagram (RFC 6455 §5.2)', () => {
  it('a masked short frame: the masking key’s first 16 bits end row one, its last 16 fill row two', () => {
    const [first, second] = layout(frame({ masked: true, maskKey: '01020304' }));
    expect(first!.slice(-2)).toEqual(['Payload len (7)[7]=0000101 = 5', 'Masking-key (32)[16]=0x0102']);
    expect(second).toEqual(['Masking-key (32)+[16]=0x0304']);
  });

  it('a 64-bit length says its number once, and each part its own bits', () => {
    const [first, second, third] = layout(frame({ length: 70_000, masked: true, maskKey: 'a1b2c3d4' }));
    expect(first!.at(-1)).toBe('Extended payload length (64)[16]=70,000 (0x0000…)');
    expect(second).toEqual(['Extended payload length (64)+[32]=0x00000001']);
    expect(third).toEqual(['Extended payload length (64)+[16]=0x1170', 'Masking-key (32)[16]=0xa1b2']);
  });

  it('every row holds 32 bits', () => {
    for (const f of [frame({}), frame({ length: 300, masked: true, maskKey: '00000000' }), frame({ length: 1 << 20 })]) {
      const spans = rows(fields(f)).map((row) => row.reduce((n, c) => n + c.span, 0));
      expect(spans.slice(0, -1).every((n) => n === 32)).toBe(true);
    }
  });
});
