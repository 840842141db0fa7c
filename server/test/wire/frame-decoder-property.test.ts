// Frames written by ws's own Sender must decode to exactly what was framed, however the
// bytes are split into chunks.
import fc from 'fast-check';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { type DecodedFrame, type DecodeError, FrameDecoder } from '../../src/wire/frame-decoder.ts';

// @types/ws does not declare Sender; this is the part of lib/sender.js used here.
interface SenderFrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  maskBuffer?: Buffer;
  generateMask?: (mask: Buffer) => void;
}
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: SenderFrameOptions): Buffer[] } };

interface Spec {
  fin: boolean;
  opcode: number;
  mask?: Buffer;
  payload: Buffer;
  close?: { code?: number; reason: string };
}

/** What the decoder should report for a frame, when it keeps at most `maxCapture` payload bytes. */
function expected(spec: Spec, maxCapture: number) {
  const truncated = spec.payload.length > maxCapture;
  // A close body cut by the cap yields the reason as far as it was captured.
  const close =
    spec.close && truncated ? { ...spec.close, reason: spec.payload.subarray(2, maxCapture).toString() } : spec.close;
  return {
    fin: spec.fin,
    opcode: spec.opcode,
    masked: spec.mask !== undefined,
    maskKey: spec.mask?.toString('hex'),
    length: spec.payload.length,
    payload: spec.payload.subarray(0, maxCapture).toString('hex'),
    truncated,
    close,
  };
}

function observed(frame: DecodedFrame) {
  return {
    fin: frame.fin,
    opcode: frame.opcode,
    masked: frame.masked,
    maskKey: frame.maskKey?.toString('hex'),
    length: frame.length,
    payload: frame.payload.toString('hex'),
    truncated: frame.truncated,
    close: frame.close,
  };
}

function frameBytes(spec: Spec): Buffer {
  const key = spec.mask;
  const options: SenderFrameOptions = { fin: spec.fin, opcode: spec.opcode, mask: key !== undefined, readOnly: false };
  if (key) {
    options.maskBuffer = Buffer.alloc(4);
    options.generateMask = (mask) => key.copy(mask);
  }
  // Sender masks its input in place: give it a copy.
  return Buffer.concat(Sender.frame(Buffer.from(spec.payload), options));
}

function decodeChunks(chunks: Buffer[], maxCapture: number) {
  const frames: DecodedFrame[] = [];
  const errors: DecodeError[] = [];
  const decoder = new FrameDecoder({ maxCapture, onFrame: (f) => frames.push(f), onError: (e) => errors.push(e) });
  for (const chunk of chunks) decoder.push(chunk);
  decoder.end();
  return { frames: frames.map(observed), errors };
}

const maskArb = fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }).map((k) => Buffer.from(k)), { nil: undefined });

/** Sizes that cross the 7-bit (125/126), 16-bit (65535/65536) encodings, or stay small. */
function sizeArb(large: boolean) {
  const small = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 120, max: 130 }));
  if (!large) return small;
  return fc.oneof(small, fc.constantFrom(65535, 65536, 65537), fc.integer({ min: 131, max: 70000 }));
}

function payloadArb(text: boolean, size: number): fc.Arbitrary<Buffer> {
  if (!text) return fc.uint8Array({ minLength: size, maxLength: size }).map((b) => Buffer.from(b));
  // Valid UTF-8 of about `size` bytes, multi-byte characters included.
  return fc.string({ unit: 'binary', minLength: 0, maxLength: size }).map((s) => {
    const bytes = Buffer.from(s);
    return bytes.length <= size ? bytes : Buffer.from(s.slice(0, Math.floor(size / 4)));
  });
}

const controlArb: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({ opcode: fc.constantFrom(0x9, 0xa), mask: maskArb, size: fc.integer({ min: 0, max: 125 }) }).chain(({ opcode, mask, size }) =>
    payloadArb(false, size).map((payload): Spec => ({ fin: true, opcode, mask, payload })),
  ),
  fc
    .record({
      mask: maskArb,
      code: fc.option(fc.constantFrom(1000, 1001, 1003, 1008, 1011, 3000, 4000, 4999), { nil: undefined }),
      reason: fc.string({ unit: 'binary', maxLength: 30 }),
    })
    .map(({ mask, code, reason }): Spec => {
      if (code === undefined) return { fin: true, opcode: 0x8, mask, payload: Buffer.alloc(0), close: { reason: '' } };
      const payload = Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);
      return { fin: true, opcode: 0x8, mask, payload, close: { code, reason } };
    }),
);

/** A data message in 1-3 fragments, with control frames between them. */
function messageArb(large: boolean): fc.Arbitrary<Spec[]> {
  return fc
    .record({
      text: fc.boolean(),
      mask: maskArb,
      sizes: fc.array(sizeArb(large), { minLength: 1, maxLength: 3 }),
      controls: fc.array(fc.option(controlArb, { nil: undefined, freq: 3 }), { minLength: 2, maxLength: 2 }),
    })
    .chain(({ text, mask, sizes, controls }) =>
      fc.tuple(...sizes.map((size) => payloadArb(text, size))).map((payloads) => {
        const specs: Spec[] = [];
        payloads.forEach((payload, i) => {
          const last = i === payloads.length - 1;
          specs.push({ fin: last, opcode: i === 0 ? (text ? 0x1 : 0x2) : 0x0, mask, payload });
          const control = controls[i];
          if (!last && control) specs.push(control);
        });
        return specs;
      }),
    );
}

function sequenceArb(large: boolean, maxItems: number): fc.Arbitrary<Spec[]> {
  const item = fc.oneof({ arbitrary: messageArb(large), weight: 3 }, { arbitrary: controlArb.map((c) => [c]), weight: 1 });
  return fc.array(item, { minLength: 1, maxLength: maxItems }).map((items) => items.flat());
}

function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

describe('FrameDecoder against ws’s Sender', () => {
  it('decodes small sequences split at every byte boundary, and byte by byte', () => {
    fc.assert(
      fc.property(sequenceArb(false, 4), fc.constantFrom(1 << 20, 16), (specs, maxCapture) => {
        const bytes = Buffer.concat(specs.map(frameBytes));
        const want = specs.map((s) => expected(s, maxCapture));
        const whole = decodeChunks([bytes], maxCapture);
        expect(whole.errors).toEqual([]);
        expect(whole.frames).toEqual(want);
        for (let cut = 1; cut < bytes.length; cut++) {
          expect(decodeChunks([bytes.subarray(0, cut), bytes.subarray(cut)], maxCapture)).toEqual(whole);
        }
        const bytewise = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
        expect(decodeChunks(bytewise, maxCapture)).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('decodes large sequences split at random boundaries', () => {
    fc.assert(
      fc.property(
        sequenceArb(true, 3),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.constantFrom(1 << 20, 65536, 1000),
        (specs, cuts, maxCapture) => {
          const bytes = Buffer.concat(specs.map(frameBytes));
          const result = decodeChunks(splitAt(bytes, cuts), maxCapture);
          expect(result.errors).toEqual([]);
          expect(result.frames).toEqual(specs.map((s) => expected(s, maxCapture)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
