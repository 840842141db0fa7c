import type { WebSocket, RawData } from 'ws';
import type { LiveConnections } from './live.ts';

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Echo every message back as it came, text as text and binary as binary, fragmented on request. */
export function echoMessages(ws: WebSocket, live: LiveConnections, key: string | undefined): void {
  ws.on('message', (data, isBinary) => {
    const payload = toBuffer(data);
    const state = key === undefined ? undefined : live.get(key);
    const count = state?.fragmentNext;
    if (state && count !== undefined) {
      delete state.fragmentNext;
      return sendFragmented(ws, payload, isBinary, count);
    }
    ws.send(payload, { binary: isBinary });
  });
}

/** One message as `count` frames: the first with the opcode, the rest continuations, FIN on the last. */
function sendFragmented(ws: WebSocket, payload: Buffer, binary: boolean, count: number): void {
  const size = Math.ceil(payload.length / count);
  for (let i = 0; i < count; i++) {
    // Split on byte boundaries: a UTF-8 character may straddle two frames, which RFC 6455 allows.
    const piece = payload.subarray(i * size, Math.min(payload.length, (i + 1) * size));
    ws.send(piece, { binary, fin: i === count - 1, compress: false });
  }
}
