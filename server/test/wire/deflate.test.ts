import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { constants, createDeflateRaw, deflateRawSync, type DeflateRaw } from 'node:zlib';
import { WebSocket, WebSocketServer, type PerMessageDeflateOptions } from 'ws';
import { describe, expect, it } from 'vitest';
import { type DeflateParams, type InflateResult, MessageInflater, negotiatedDeflate } from '../../src/wire/deflate.ts';
import { type DecodedFrame, FrameDecoder } from '../../src/wire/frame-decoder.ts';

const TAIL = Buffer.from('0000ffff', 'hex');

function stripTail(bytes: Buffer): Buffer {
  expect(bytes.subarray(-4)).toEqual(TAIL);
  return bytes.subarray(0, -4);
}

/** A sender's compressor with context takeover: one deflate stream, flushed at the end of each message (RFC 7692 §7.2.1). */
function compressor(windowBits = 15) {
  const deflate: DeflateRaw = createDeflateRaw({ windowBits });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  return async (message: string): Promise<Buffer> => {
    deflate.write(message);
    await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    return stripTail(Buffer.concat(out.splice(0)));
  };
}

/** A sender without context takeover: every message compressed on its own. */
function compressAlone(message: string, windowBits = 15): Buffer {
  return stripTail(deflateRawSync(message, { windowBits, finishFlush: constants.Z_SYNC_FLUSH }));
}

function frame(payload: Buffer, fields: Partial<DecodedFrame> = {}): DecodedFrame {
  return {
    fin: true,
    rsv1: true,
    rsv2: false,
    rsv3: false,
    opcode: 0x1,
    masked: false,
    length: payload.length,
    payload,
    truncated: false,
    ...fields,
  };
}

function params(fields: Partial<DeflateParams> = {}): DeflateParams {
  return {
    serverNoContextTakeover: false,
    clientNoContextTakeover: false,
    serverMaxWindowBits: 15,
    clientMaxWindowBits: 15,
    raw: 'permessage-deflate',
    ...fields,
  };
}

/** Text that barely compresses: a message whose compressed size is about its own. */
function randomText(length: number): string {
  return randomBytes(Math.ceil(length * 0.75)).toString('base64').slice(0, length);
}

const text = (result: InflateResult | undefined) => (result?.ok ? result.data.toString() : result);

describe('negotiatedDeflate', () => {
  it('reads the parameters of a 101’s permessage-deflate', () => {
    expect(negotiatedDeflate('permessage-deflate; server_no_context_takeover; client_max_window_bits=10')).toEqual({
      serverNoContextTakeover: true,
      clientNoContextTakeover: false,
      serverMaxWindowBits: 15,
      clientMaxWindowBits: 10,
      raw: 'permessage-deflate; server_no_context_takeover; client_max_window_bits=10',
    });
  });

  it('accepts quoted values, any case, and a window size without a value', () => {
    expect(negotiatedDeflate('Permessage-Deflate; Server_Max_Window_Bits="9"; client_max_window_bits; client_no_context_takeover')).toMatchObject({
      serverMaxWindowBits: 9,
      clientMaxWindowBits: 15,
      clientNoContextTakeover: true,
    });
  });

  it('uses only the first permessage-deflate element', () => {
    expect(negotiatedDeflate('x-other; a="1,2", permessage-deflate; server_max_window_bits=11, permessage-deflate')).toMatchObject({
      serverMaxWindowBits: 11,
      raw: 'permessage-deflate; server_max_window_bits=11',
    });
  });

  it('answers undefined when permessage-deflate was not negotiated', () => {
    expect(negotiatedDeflate(undefined)).toBeUndefined();
    expect(negotiatedDeflate('')).toBeUndefined();
    expect(negotiatedDeflate('x-webkit-deflate-frame')).toBeUndefined();
  });

  it('notes parameters it cannot understand', () => {
    expect(negotiatedDeflate('permessage-deflate; client_max_window_bits=16; foo')?.problems).toEqual([
      'client_max_window_bits=16 is not a window size from 8 to 15 (RFC 7692 §7.1.2)',
      'unknown parameter foo (RFC 7692 §7.1)',
    ]);
  });
});

describe('MessageInflater', () => {
  it('keeps the LZ77 context across 3 messages with context takeover', async () => {
    const compress = compressor();
    const messages = ['hello websocket world', 'hello websocket world, again', 'and hello websocket world a third time'];
    const payloads = [];
    for (const message of messages) payloads.push(await compress(message));
    // The later messages really do refer back to the first: alone they cannot be inflated.
    const alone = new MessageInflater(params({ serverNoContextTakeover: true }), 'server-to-client');
    expect(alone.frame(frame(payloads[1] ?? Buffer.alloc(0)))).toMatchObject({ ok: false, code: 'INFLATE_FAILED' });

    const inflater = new MessageInflater(params(), 'server-to-client');
    expect(payloads.map((p) => text(inflater.frame(frame(p))))).toEqual(messages);
  });

  it('inflates each message on its own with no_context_takeover', () => {
    const inflater = new MessageInflater(params({ clientNoContextTakeover: true }), 'client-to-server');
    const messages = ['one hello', 'two hello', 'three hello'];
    expect(messages.map((m) => text(inflater.frame(frame(compressAlone(m), { masked: true }))))).toEqual(messages);
  });

  it('uses the sending side’s window bits', async () => {
    const compress = compressor(10);
    const inflater = new MessageInflater(params({ clientMaxWindowBits: 10 }), 'client-to-server');
    const filler = 'abcdefghij'.repeat(200);
    expect(text(inflater.frame(frame(await compress(filler))))).toBe(filler);
    expect(text(inflater.frame(frame(await compress(`${filler}!`))))).toBe(`${filler}!`);
  });

  it('inflates a message fragmented over several frames, RSV1 on the first only', async () => {
    const compress = compressor();
    const message = 'a fragmented, compressed message '.repeat(20);
    const payload = await compress(message);
    const third = Math.ceil(payload.length / 3);
    const inflater = new MessageInflater(params(), 'server-to-client');
    expect(inflater.frame(frame(payload.subarray(0, third), { fin: false }))).toBeUndefined();
    expect(inflater.frame(frame(payload.subarray(third, 2 * third), { fin: false, opcode: 0, rsv1: false }))).toBeUndefined();
    expect(text(inflater.frame(frame(payload.subarray(2 * third), { opcode: 0, rsv1: false })))).toBe(message);
  });

  it('answers nothing for uncompressed messages and stray continuations', () => {
    const inflater = new MessageInflater(params(), 'server-to-client');
    expect(inflater.frame(frame(Buffer.from('plain'), { rsv1: false }))).toBeUndefined();
    expect(inflater.frame(frame(Buffer.from('plain'), { rsv1: false, fin: false, opcode: 2 }))).toBeUndefined();
    expect(inflater.frame(frame(Buffer.from('more'), { rsv1: false, opcode: 0 }))).toBeUndefined();
    expect(inflater.frame(frame(Buffer.from('stray'), { opcode: 0 }))).toBeUndefined();
    expect(inflater.frame(frame(Buffer.from('reserved'), { opcode: 3 }))).toBeUndefined();
  });

  it('cannot inflate a truncated message, nor, with context takeover, any later one', async () => {
    const compress = compressor();
    const first = await compress('the first message, hello hello');
    const second = await compress('the second message, hello hello');
    const inflater = new MessageInflater(params(), 'client-to-server');
    const cut = inflater.frame(frame(first.subarray(0, 5), { length: first.length, truncated: true }));
    expect(cut).toMatchObject({ ok: false, code: 'NOT_INFLATED' });
    expect(cut?.ok === false && cut.message).toMatch(/not captured/);
    const later = inflater.frame(frame(second));
    expect(later).toMatchObject({ ok: false, code: 'NOT_INFLATED' });
    expect(later?.ok === false && later.message).toMatch(/earlier compressed message .* context takeover/);
  });

  it('carries on after a truncated message without context takeover', () => {
    const inflater = new MessageInflater(params({ serverNoContextTakeover: true }), 'server-to-client');
    const first = compressAlone('x'.repeat(500));
    expect(inflater.frame(frame(first.subarray(0, 2), { fin: false, truncated: true }))).toBeUndefined();
    expect(inflater.frame(frame(Buffer.alloc(0), { opcode: 0, rsv1: false }))).toMatchObject({ ok: false, code: 'NOT_INFLATED' });
    expect(text(inflater.frame(frame(compressAlone('next'))))).toBe('next');
  });

  it('stops inflating a message past the work limit, and carries on without context takeover', () => {
    const inflater = new MessageInflater(params({ serverNoContextTakeover: true }), 'server-to-client', { maxInflate: 1000 });
    const result = inflater.frame(frame(compressAlone('z'.repeat(5000))));
    expect(result).toMatchObject({ ok: false, code: 'INFLATE_TOO_LARGE' });
    expect(result?.ok === false && result.message).toContain('1000 bytes');
    expect(text(inflater.frame(frame(compressAlone('z'.repeat(1000)))))).toBe('z'.repeat(1000));
  });

  it('keeps a bounded copy of a large message, counts the rest, and keeps the context for the next one', async () => {
    const compress = compressor();
    const big = randomText(200_000);
    const inflater = new MessageInflater(params(), 'server-to-client', { maxCopy: 1000 });
    const first = inflater.frame(frame(await compress(big)));
    expect(first).toMatchObject({ ok: true, length: 200_000 });
    expect(first?.ok && first.data.toString()).toBe(big.slice(0, 1000));
    // The next message repeats the end of the big one: it inflates only if no byte of the big one was skipped.
    const tail = big.slice(-5000);
    const second = await compress(tail);
    expect(second.length).toBeLessThan(200);
    const next = inflater.frame(frame(second));
    expect(next).toMatchObject({ ok: true, length: tail.length });
    expect(next?.ok && next.data.toString()).toBe(tail.slice(0, 1000));
  });

  it('inflates the same bytes streamed in pieces of any size as whole', async () => {
    const compress = compressor();
    const messages = ['piece by piece '.repeat(100), randomText(70_000), 'piece by piece, again'];
    const whole = new MessageInflater(params(), 'client-to-server', { maxCopy: 100_000 });
    const streamed = new MessageInflater(params(), 'client-to-server', { maxCopy: 100_000 });
    for (const [i, message] of messages.entries()) {
      const payload = await compress(message);
      expect(text(whole.frame(frame(payload)))).toBe(message);
      expect(streamed.begin(0x1, true)).toBe(true);
      const step = 1 + i * 37;
      for (let at = 0; at < payload.length; at += step) streamed.write(payload.subarray(at, at + step));
      expect(text(streamed.frame(frame(payload.subarray(0, 0), { length: payload.length })))).toBe(message);
    }
  });

  it('stops at the bound on a zip bomb, and says every later message cannot be inflated, with context takeover', async () => {
    const compress = compressor();
    const bomb = await compress('\0'.repeat(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(16 * 1024);
    const inflater = new MessageInflater(params(), 'server-to-client', { maxInflate: 1024 * 1024 });
    expect(inflater.frame(frame(bomb))).toMatchObject({ ok: false, code: 'INFLATE_TOO_LARGE' });
    const later = inflater.frame(frame(await compress('after the bomb')));
    expect(later).toMatchObject({ ok: false, code: 'NOT_INFLATED' });
    expect(later?.ok === false && later.message).toMatch(/no later message of this direction can be inflated/);
  });

  it('reports deflate data that cannot be inflated', () => {
    const inflater = new MessageInflater(params(), 'server-to-client');
    const result = inflater.frame(frame(Buffer.from('ffffffff', 'hex')));
    expect(result).toMatchObject({ ok: false, code: 'INFLATE_FAILED' });
    expect(result?.ok === false && result.message).toContain('invalid');
  });
});

describe('a real ws round trip', () => {
  const messages: (string | string[])[] = [
    'hello hello hello',
    'hello again, hello',
    ['fragment one, hello ', 'fragment two, hello'],
    `${'x'.repeat(3000)} hello`,
  ];
  const whole = messages.map((m) => (Array.isArray(m) ? m.join('') : m));

  it.each<[string, PerMessageDeflateOptions, Partial<DeflateParams>]>([
    ['context takeover', {}, { serverNoContextTakeover: false, clientNoContextTakeover: false }],
    [
      'no context takeover',
      { serverNoContextTakeover: true, clientNoContextTakeover: true },
      { serverNoContextTakeover: true, clientNoContextTakeover: true },
    ],
    ['small windows', { serverMaxWindowBits: 10, clientMaxWindowBits: 9 }, { serverMaxWindowBits: 10, clientMaxWindowBits: 9 }],
  ])('inflates both directions with %s', async (_name, deflateOptions, negotiated) => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0, ...deflateOptions } });
    await once(server, 'listening');
    server.on('connection', (peer) => peer.on('message', (data, isBinary) => peer.send(data, { binary: isBinary })));
    const { port } = server.address() as AddressInfo;
    const client = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: { threshold: 0 } });
    let extensions: string | undefined;
    client.on('upgrade', (response) => (extensions = response.headers['sec-websocket-extensions']));
    await once(client, 'open');

    // Tap the client's socket: what it writes goes client-to-server, what it reads came server-to-client.
    const socket = (client as unknown as { _socket: Socket })._socket;
    const sent: Buffer[] = [];
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const write = socket.write.bind(socket) as (chunk: Buffer, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: Buffer, ...rest: unknown[]) => {
      sent.push(Buffer.from(chunk));
      return write(chunk, ...rest);
    }) as typeof socket.write;

    const echoed = new Promise<void>((resolve) => {
      let count = 0;
      client.on('message', () => ++count === messages.length && resolve());
    });
    for (const message of messages) {
      if (typeof message === 'string') client.send(message);
      else message.forEach((part, i) => client.send(part, { fin: i === message.length - 1 }));
    }
    await echoed;
    client.close();
    await Promise.all([once(client, 'close'), new Promise((resolve) => server.close(resolve))]);

    const deflate = negotiatedDeflate(extensions);
    expect(deflate).toMatchObject(negotiated);
    if (!deflate) return;
    const inflate = (bytes: Buffer[], direction: 'client-to-server' | 'server-to-client') => {
      const inflater = new MessageInflater(deflate, direction);
      const frames: DecodedFrame[] = [];
      const out: (string | undefined)[] = [];
      const decoder = new FrameDecoder({ onFrame: (f) => frames.push(f), onError: (e) => out.push(`error ${e.code}`) });
      for (const chunk of bytes) decoder.push(chunk);
      decoder.end();
      for (const f of frames.filter((f) => f.opcode < 0x8)) {
        const result = inflater.frame(f);
        if (result) out.push(result.ok ? result.data.toString() : `${result.code}: ${result.message}`);
      }
      return { frames, out };
    };
    const up = inflate(sent, 'client-to-server');
    const down = inflate(received, 'server-to-client');
    expect(up.frames.every((f) => f.masked)).toBe(true);
    expect(up.frames.filter((f) => f.opcode === 1).every((f) => f.rsv1)).toBe(true);
    expect(up.frames.filter((f) => f.opcode === 0)).toHaveLength(1);
    expect(up.out).toEqual(whole);
    expect(down.out).toEqual(whole);
  });
});
