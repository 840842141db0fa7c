import { expect, it } from 'vitest';
import { unmask } from '../../src/wire/frame-mask.ts';

// Large runs go through bufferutil's native unmask when it is installed; every phase and
// offset must line up with the key exactly as the byte-by-byte definition (RFC 6455 §5.3) says.
it('unmasks long runs at every phase and offset as RFC 6455 §5.3 defines', () => {
  const key = Buffer.from('a1b2c3d4', 'hex');
  for (const length of [1023, 1024, 4097, 65536]) {
    for (let phase = 0; phase < 4; phase++) {
      for (const start of [0, 1, 3]) {
        const plain = Buffer.alloc(start + length + 2);
        for (let i = 0; i < plain.length; i++) plain[i] = (i * 131) & 0xff;
        const buf = Buffer.from(plain);
        unmask(buf, start, start + length, key, phase);
        const expected = Buffer.from(plain);
        for (let i = 0; i < length; i++) expected[start + i] = plain[start + i]! ^ key[(phase + i) & 3]!;
        expect(buf.equals(expected)).toBe(true);
      }
    }
  }
});
