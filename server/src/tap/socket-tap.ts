import type { Socket } from 'node:net';

type Write = Socket['write'];
type End = Socket['end'];

function toBuffer(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return undefined;
}

/**
 * Sees every byte a socket's owner writes, before it is queued: `ws` writes its 101 and its
 * frames with `write`, and refusals end with `end(data)`, which does not go through `write`
 * (Writable.end calls the internal write directly), so both are wrapped. Observation only:
 * the same arguments go on unchanged.
 */
export function tapWrites(socket: Socket, observe: (bytes: Buffer) => void): void {
  const write: Write = socket.write;
  const end: End = socket.end;
  socket.write = function (this: Socket, chunk: unknown, encoding?: unknown, cb?: unknown) {
    const bytes = toBuffer(chunk, encoding);
    if (bytes && bytes.length > 0) observe(bytes);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, encoding, cb);
  } as Write;
  socket.end = function (this: Socket, chunk?: unknown, encoding?: unknown, cb?: unknown) {
    if (typeof chunk !== 'function') {
      const bytes = toBuffer(chunk, encoding);
      if (bytes && bytes.length > 0) observe(bytes);
    }
    return (end as (...args: unknown[]) => Socket).call(this, chunk, encoding, cb);
  } as End;
}
