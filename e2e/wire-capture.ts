import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, inflateRawSync } from 'node:zlib';

// A capture of the loopback traffic taken by the test itself, and a parser for it that shares
// nothing with the lab's decoder: a relay that appends every byte it passes to a file per
// direction, and a plain reading of RFC 6455 §5.2 and RFC 7692 over those files.

export interface Capture {
  port: number;
  /** Bytes client → server and server → client, as they crossed the relay. */
  read(): { up: Buffer; down: Buffer };
  close(): Promise<void>;
}

/** Listens on a free loopback port and relays each connection to `port`, writing what passes. */
export async function captureRelay(port: number): Promise<Capture> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-lab-capture-'));
  const up = join(dir, 'client-to-server.bin');
  const down = join(dir, 'server-to-client.bin');
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) socket.on('error', () => {});
    client.on('data', (chunk: Buffer) => {
      appendFileSync(up, chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      appendFileSync(down, chunk);
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const read = (path: string) => {
    try {
      return readFileSync(path);
    } catch {
      return Buffer.alloc(0);
    }
  };
  return {
    port: (server.address() as AddressInfo).port,
    read: () => ({ up: read(up), down: read(down) }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}

export interface WireHead {
  startLine: string;
  headers: [string, string][];
}

export interface WireFrame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  maskKey?: string;
  length: number;
  /** Unmasked, whole. */
  payload: Buffer;
  /** On the frame that ends a compressed message: the whole message inflated. */
  inflated?: Buffer;
}

/** The HTTP head before the first empty line, and the bytes after it. */
export function splitHead(bytes: Buffer): { head: WireHead; rest: Buffer } {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) throw new Error('no complete HTTP head in the capture');
  const [startLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return { head: { startLine, headers }, rest: bytes.subarray(end + 4) };
}

/** Every frame in `bytes`, read one after another by the layout of RFC 6455 §5.2. */
export function parseFrames(bytes: Buffer): WireFrame[] {
  const frames: WireFrame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const b0 = bytes[at]!;
    const b1 = bytes[at + 1]!;
    let length = b1 & 0x7f;
    let p = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(p);
      p += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(p));
      p += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const key = masked ? bytes.subarray(p, p + 4) : undefined;
    if (masked) p += 4;
    if (p + length > bytes.length) throw new Error(`the capture ends inside a frame at byte ${at}`);
    const payload = Buffer.from(bytes.subarray(p, p + length));
    if (key) for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i % 4]!;
    frames.push({
      fin: (b0 & 0x80) !== 0,
      rsv1: (b0 & 0x40) !== 0,
      rsv2: (b0 & 0x20) !== 0,
      rsv3: (b0 & 0x10) !== 0,
      opcode: b0 & 0x0f,
      masked,
      ...(key ? { maskKey: key.toString('hex') } : {}),
      length,
      payload,
    });
    at = p + length;
  }
  if (at !== bytes.length) throw new Error(`${bytes.length - at} bytes left after the last whole frame`);
  return frames;
}

/**
 * Inflates each compressed message (RSV1 on its first frame, RFC 7692 §6) with node:zlib:
 * with context takeover, message k is what inflating messages 1..k as one stream adds.
 */
export function inflateMessages(frames: WireFrame[], noContextTakeover: boolean): void {
  const TAIL = Buffer.from('0000ffff', 'hex');
  const compressed: Buffer[] = [];
  let inflatedSoFar = 0;
  let parts: Buffer[] = [];
  let inMessage = false;
  let isCompressed = false;
  for (const frame of frames) {
    if (frame.opcode === 0x1 || frame.opcode === 0x2) {
      inMessage = true;
      isCompressed = frame.rsv1;
      parts = [];
    } else if (frame.opcode !== 0x0 || !inMessage) continue;
    parts.push(frame.payload);
    if (!frame.fin) continue;
    inMessage = false;
    if (!isCompressed) continue;
    const message = Buffer.concat([...parts, TAIL]);
    if (noContextTakeover) {
      frame.inflated = inflateRawSync(message, { finishFlush: constants.Z_SYNC_FLUSH });
      continue;
    }
    compressed.push(message);
    const all = inflateRawSync(Buffer.concat(compressed), { finishFlush: constants.Z_SYNC_FLUSH });
    frame.inflated = all.subarray(inflatedSoFar);
    inflatedSoFar = all.length;
  }
}
