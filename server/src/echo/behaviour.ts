import type { WebSocket, RawData } from 'ws';
import type { LiveConnections } from './live.ts';

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Echoes waiting to reach a client that does not read, before the server stops reading from it. */
export const MAX_UNSENT_ECHO = 4 * 1024 * 1024;

/** Echo every message back as it came, text as text and binary as binary, fragmented on request. */
export function echoMessages(ws: WebSocket, live: LiveConnections, key: string | undefined): void {
  // A client that sends without reading would otherwise queue echoes in memory without limit:
  // stop reading from it until what it owes has been written out.
  const flowControl = () => {
    if (ws.isPaused || ws.bufferedAmount <= MAX_UNSENT_ECHO) return;
    ws.pause();
    const resumeWhenFlushed = () => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_UNSENT_ECHO / 2) setTimeout(resumeWhenFlushed, 10);
      else ws.resume();
    };
    setTimeout(resumeWhenFlushed, 10);
  };
  ws.on('message', (data, isBinary) => {
    const payload = toBuffer(data);
    const state = key === undefined ? undefined : live.get(key);
    const count = state?.fragmentNext;
    if (state && count !== undefined) {
      delete state.fragmentNext;
      sendFragmented(ws, payload, isBinary, count);
      return flowControl();
    }
    ws.send(payload, { binary: isBinary });
    flowControl();
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
