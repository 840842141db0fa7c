import { describe, expect, it } from 'vitest';
import { type DecodedFrame, type DecodeError, FrameDecoder, type FrameDecoderOptions } from '../../src/wire/frame-decoder.ts';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

type Event = { frame: DecodedFrame } | { error: DecodeError };

/** Decodes `input` pushed in chunks of `chunkSize` bytes (all at once by default), then ends the stream. */
function decode(input: Buffer, options: { chunkSize?: number; maxCapture?: number; end?: boolean } = {}) {
  const events: Event[] = [];
  const decoderOptions: FrameDecoderOptions = {
    onFrame: (frame) => events.push({ frame }),
    onError: (error) => events.push({ error }),
  };
  if (options.maxCapture !== undefined) decoderOptions.maxCapture = options.maxCapture;
  const decoder = new FrameDecoder(decoderOptions);
  const size = options.chunkSize ?? Math.max(1, input.length);
  for (let i = 0; i < input.length; i += size) decoder.push(input.subarray(i, i + size));
  if (options.end !== false) decoder.end();
  const frames = events.flatMap((e) => ('frame' in e ? [e.frame] : []));
  const errors = events.flatMap((e) => ('error' in e ? [e.error] : []));
  return { decoder, events, frames, errors };
}

/** The same input decoded whole and one byte at a time must give the same events. */
function decodeBothWays(input: Buffer, options: { maxCapture?: number } = {}) {
  const whole = decode(input, options);
  const bytewise = decode(input, { ...options, chunkSize: 1 });
  expect(bytewise.events).toEqual(whole.events);
  return whole;
}

const codes = (errors: DecodeError[]) => errors.map((e) => [e.code, e.closeCode]);

describe('RFC 6455 §5.7 examples', () => {
  it('decodes a single-frame unmasked text message', () => {
    const { frames, errors } = decodeBothWays(hex('81 05 48656c6c6f'));
    expect(errors).toEqual([]);
    expect(frames).toEqual([
      { fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, masked: false, length: 5, payload: Buffer.from('Hello'), truncated: false, offset: 0 },
    ]);
  });

  it('unmasks a single-frame masked text message', () => {
    const input = hex('81 85 37fa213d 7f9f4d5158');
    const copy = Buffer.from(input);
    const { frames, errors } = decodeBothWays(input);
    expect(errors).toEqual([]);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.masked).toBe(true);
    expect(frames[0]?.maskKey?.toString('hex')).toBe('37fa213d');
    expect(frames[0]?.payload.toString()).toBe('Hello');
    expect(input).toEqual(copy); // passive: the input is never altered
  });

  it('decodes a fragmented unmasked text message', () => {
    const { frames, errors } = decodeBothWays(hex('01 03 48656c  80 02 6c6f'));
    expect(errors).toEqual([]);
    expect(frames.map((f) => [f.fin, f.opcode, f.payload.toString(), f.offset])).toEqual([
      [false, 1, 'Hel', 0],
      [true, 0, 'lo', 5],
    ]);
  });

  it('decodes an unmasked ping and a masked pong', () => {
    const { frames, errors } = decodeBothWays(hex('89 05 48656c6c6f  8a 85 37fa213d 7f9f4d5158'));
    expect(errors).toEqual([]);
    expect(frames.map((f) => [f.opcode, f.masked, f.payload.toString()])).toEqual([
      [0x9, false, 'Hello'],
      [0xa, true, 'Hello'],
    ]);
  });

  it('decodes 256 bytes of binary data with a 16-bit length', () => {
    const data = Buffer.alloc(256, 0xab);
    const { frames, errors } = decodeBothWays(Buffer.concat([hex('82 7e 0100'), data]));
    expect(errors).toEqual([]);
    expect(frames[0]).toMatchObject({ opcode: 2, length: 256, payload: data, truncated: false });
  });

  it('decodes 64 KiB of binary data with a 64-bit length', () => {
    const data = Buffer.alloc(65536);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    const { frames, errors } = decodeBothWays(Buffer.concat([hex('82 7f 0000000000010000'), data]));
    expect(errors).toEqual([]);
    expect(frames[0]).toMatchObject({ opcode: 2, length: 65536, truncated: false });
    expect(frames[0]?.payload.equals(data)).toBe(true);
  });
});

describe('header fields', () => {
  it('reports RSV bits and unmasks a zero-length masked frame', () => {
    const { frames } = decodeBothWays(hex('f1 00  81 80 01020304'));
    expect(frames[0]).toMatchObject({ fin: true, rsv1: true, rsv2: true, rsv3: true, opcode: 1, length: 0 });
    expect(frames[1]?.maskKey?.toString('hex')).toBe('01020304');
    expect(frames[1]?.payload.length).toBe(0);
  });

  it('unmasks long payloads in pieces with the key in phase', () => {
    const key = hex('a1b2c3d4');
    const data = Buffer.alloc(1000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    const masked = Buffer.from(data.map((b, i) => b ^ (key[i & 3] ?? 0)));
    const input = Buffer.concat([hex('82 fe 03e8'), key, masked]);
    for (const chunkSize of [1, 3, 7, 130, 1000]) {
      const { frames } = decode(input, { chunkSize });
      expect(frames[0]?.payload.equals(data)).toBe(true);
    }
  });

  it('counts bytes consumed and frames decoded', () => {
    const { decoder } = decode(hex('810548656c6c6f 8900'), { end: false });
    expect(decoder.bytesConsumed).toBe(9);
    expect(decoder.framesDecoded).toBe(2);
  });
});

describe('protocol errors', () => {
  it('reports reserved opcodes, still emits the frames and carries on', () => {
    const { frames, errors } = decodeBothWays(hex('83 01 41  8b 00  81 01 42'));
    expect(codes(errors)).toEqual([
      ['RESERVED_OPCODE', 1002],
      ['RESERVED_OPCODE', 1002],
    ]);
    expect(errors[0]?.message).toContain('0x3');
    expect(frames.map((f) => f.opcode)).toEqual([0x3, 0xb, 0x1]);
  });

  it('reports a control frame longer than 125 bytes', () => {
    const { frames, errors } = decodeBothWays(Buffer.concat([hex('89 7e 007e'), Buffer.alloc(126)]));
    expect(codes(errors)).toEqual([['CONTROL_FRAME_TOO_LONG', 1002]]);
    expect(frames[0]).toMatchObject({ opcode: 9, length: 126 });
  });

  it('reports a fragmented control frame', () => {
    const { frames, errors } = decodeBothWays(hex('09 00'));
    expect(codes(errors)).toEqual([['FRAGMENTED_CONTROL_FRAME', 1002]]);
    expect(frames).toHaveLength(1);
  });

  it('stops for good on a 64-bit length with its most significant bit set', () => {
    const { decoder, frames, errors } = decodeBothWays(hex('82 7f 8000000000000000  81 01 41'));
    expect(codes(errors)).toEqual([['LENGTH_TOO_LARGE', 1009]]);
    expect(frames).toEqual([]);
    expect(decoder.bytesConsumed).toBe(10);
    decoder.push(hex('810548656c6c6f'));
    decoder.end();
    expect(frames).toEqual([]);
  });

  it('reports a continuation frame with no message open', () => {
    const { frames, errors } = decodeBothWays(hex('80 01 41'));
    expect(codes(errors)).toEqual([['UNEXPECTED_CONTINUATION', 1002]]);
    expect(frames).toHaveLength(1);
  });

  it('reports a new data frame while a fragmented message is open', () => {
    const { frames, errors } = decodeBothWays(hex('01 01 41  82 01 42  80 01 43'));
    expect(codes(errors)).toEqual([
      ['EXPECTED_CONTINUATION', 1002],
      ['UNEXPECTED_CONTINUATION', 1002],
    ]);
    expect(frames).toHaveLength(3);
  });

  it('accepts control frames between fragments', () => {
    const { errors } = decodeBothWays(hex('01 01 c3  89 00  8a 00  80 01 a9'));
    expect(errors).toEqual([]);
  });

  it('reports every error before the frame it is about, with that frame’s offset', () => {
    const { events } = decode(hex('8100 8b00'));
    expect(events.map((e) => ('frame' in e ? 'frame' : e.error.code))).toEqual(['frame', 'RESERVED_OPCODE', 'frame']);
    expect(events[1]).toMatchObject({ error: { offset: 2 } });
  });
});

describe('close frames', () => {
  it('parses an empty body, a code, and a code with a reason', () => {
    const { frames, errors } = decodeBothWays(hex('88 00  88 02 03e8  88 85 00000000 0fa0 627965'));
    expect(errors).toEqual([]);
    expect(frames.map((f) => f.close)).toEqual([{ reason: '' }, { code: 1000, reason: '' }, { code: 4000, reason: 'bye' }]);
  });

  it('reports a 1-byte body', () => {
    const { frames, errors } = decodeBothWays(hex('88 01 03'));
    expect(codes(errors)).toEqual([['INVALID_CLOSE_PAYLOAD', 1002]]);
    expect(frames[0]?.close).toEqual({ reason: '' });
  });

  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535])('reports close code %i as invalid', (code) => {
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code);
    const { frames, errors } = decodeBothWays(Buffer.concat([hex('88 02'), body]));
    expect(codes(errors)).toEqual([['INVALID_CLOSE_CODE', 1002]]);
    expect(errors[0]?.message).toContain(String(code));
    expect(frames[0]?.close).toEqual({ code, reason: '' });
  });

  it.each([1000, 1001, 1003, 1007, 1011, 1012, 1014, 3000, 4999])('accepts close code %i', (code) => {
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code);
    expect(decode(Buffer.concat([hex('88 02'), body])).errors).toEqual([]);
  });

  it('reports a reason that is not UTF-8', () => {
    const { frames, errors } = decodeBothWays(hex('88 04 03e8 fffe'));
    expect(codes(errors)).toEqual([['INVALID_UTF8', 1007]]);
    expect(frames[0]?.close?.code).toBe(1000);
  });
});

describe('UTF-8 of text messages', () => {
  it('reports an invalid single-frame text message', () => {
    expect(codes(decodeBothWays(hex('81 02 c328')).errors)).toEqual([['INVALID_UTF8', 1007]]);
  });

  it('accepts a character split across fragments and reports a broken one', () => {
    expect(decodeBothWays(hex('01 01 c3  00 01 a9  00 02 e282  89 00  00 01 ac  80 00')).errors).toEqual([]);
    expect(codes(decodeBothWays(hex('01 01 c3  80 01 28')).errors)).toEqual([['INVALID_UTF8', 1007]]);
  });

  it('reports a message that ends mid-character', () => {
    expect(codes(decodeBothWays(hex('01 01 e2  80 01 82')).errors)).toEqual([['INVALID_UTF8', 1007]]);
  });

  it('reports one error per message, then checks the next', () => {
    const { errors } = decodeBothWays(hex('01 01 ff  00 01 fe  80 00  81 01 ff'));
    expect(codes(errors)).toEqual([
      ['INVALID_UTF8', 1007],
      ['INVALID_UTF8', 1007],
    ]);
  });

  it('does not judge binary, compressed (RSV1) or partly captured text', () => {
    expect(decode(hex('82 01 ff')).errors).toEqual([]);
    expect(decode(hex('c1 01 ff')).errors).toEqual([]);
    expect(decode(hex('81 03 e282ac'), { maxCapture: 2 }).errors).toEqual([]);
    expect(decode(hex('01 03 e282ac  80 01 ff'), { maxCapture: 2 }).errors).toEqual([]);
  });
});

describe('capture cap', () => {
  it('keeps the first maxCapture bytes, unmasked, and marks the frame truncated', () => {
    const { frames } = decodeBothWays(hex('81 85 37fa213d 7f9f4d5158  81 02 4142'), { maxCapture: 3 });
    expect(frames[0]).toMatchObject({ length: 5, payload: Buffer.from('Hel'), truncated: true });
    expect(frames[1]).toMatchObject({ length: 2, payload: Buffer.from('AB'), truncated: false });
  });

  it('captures nothing with maxCapture 0', () => {
    const { frames } = decode(hex('81 05 48656c6c6f'), { maxCapture: 0 });
    expect(frames[0]).toMatchObject({ length: 5, payload: Buffer.alloc(0), truncated: true });
  });

  it('holds at most maxCapture bytes of a 10 MB frame', () => {
    const length = 10 * 1024 * 1024;
    const frames: DecodedFrame[] = [];
    const errors: DecodeError[] = [];
    const decoder = new FrameDecoder({ onFrame: (f) => frames.push(f), onError: (e) => errors.push(e) });
    const header = hex('82 7f 0000000000a00000');
    decoder.push(header);
    const chunk = Buffer.alloc(64 * 1024, 0x5a);
    for (let sent = 0; sent < length; sent += chunk.length) decoder.push(chunk);
    expect(errors).toEqual([]);
    expect(frames[0]).toMatchObject({ length, truncated: true });
    expect(frames[0]?.payload.length).toBe(64 * 1024);
    expect(frames[0]?.payload.buffer.byteLength).toBeLessThanOrEqual(64 * 1024 + 4);
    expect(decoder.bytesConsumed).toBe(header.length + length);
  });
});

describe('end() mid-frame', () => {
  it('emits a frame cut short in its payload, truncated, after reporting it', () => {
    const { events } = decode(hex('81 85 37fa213d 7f9f4d'));
    expect(events).toHaveLength(2);
    const [error, frame] = events;
    expect(error).toMatchObject({ error: { code: 'INCOMPLETE_FRAME' } });
    expect(error && 'error' in error && error.error.message).toContain('3 of 5 payload bytes');
    expect(frame).toMatchObject({ frame: { length: 5, payload: Buffer.from('Hel'), truncated: true } });
  });

  it('only reports a header cut short', () => {
    const first = decode(hex('81'));
    expect(first.frames).toEqual([]);
    expect(codes(first.errors)).toEqual([['INCOMPLETE_FRAME', undefined]]);
    expect(first.errors[0]?.message).toContain('1 of at least 2 header bytes');
    const masked16 = decode(hex('81 fe 00'), { chunkSize: 1 });
    expect(masked16.frames).toEqual([]);
    expect(masked16.errors[0]?.message).toContain('3 of 8 header bytes');
    const masked = decode(hex('81 85 37fa'));
    expect(masked.errors[0]?.message).toContain('4 of 6 header bytes');
  });

  it('says nothing at a frame boundary, and nothing twice', () => {
    const { decoder, events } = decode(hex('81 05 48656c6c6f'));
    decoder.end();
    decoder.push(hex('81 01 41'));
    decoder.end();
    expect(events).toHaveLength(1);
  });
});
