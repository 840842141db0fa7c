import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemoryTranscriptStore } from '../../src/transcript/store.ts';
import { createEchoServer, type EchoServer } from '../../src/echo/server.ts';
import { eventually } from '../helpers/net.ts';

// Past the session's payload limit, frames are still recorded — header, length, mask — but
// their payload is not copied, and the skipped bytes are counted.

let store: MemoryTranscriptStore;
let echo: EchoServer;
let port: number;
beforeAll(async () => {
  store = new MemoryTranscriptStore({ maxPayloadBytes: 10_000 });
  echo = createEchoServer({ store, port: 0 });
  port = await echo.listen();
});
afterAll(() => echo.close());

it('keeps frame headers without payload once the payload limit is reached, and counts what it skipped', async () => {
  const session = store.createSession();
  const ws = new WebSocket(`ws://127.0.0.1:${port}/echo?lab=${session}&conn=big`);
  await new Promise((r) => ws.once('open', r));
  for (let i = 0; i < 6; i++) {
    ws.send(Buffer.alloc(3000, i));
    await new Promise((r) => ws.once('message', r));
  }
  ws.close();
  const transcript = await eventually(() => {
    const t = store.read(session)!;
    if (!t.connections[0]!.events.some((e) => e.kind === 'close')) throw new Error('not closed yet');
    return t;
  });
  const binary = transcript.connections[0]!.events.filter((e) => e.kind === 'frame' && e.opcode === 2);
  expect(binary).toHaveLength(12);
  const kept = binary.filter((f) => f.kind === 'frame' && !f.truncated);
  const headersOnly = binary.filter((f) => f.kind === 'frame' && f.truncated && f.payload === '' && f.length === 3000);
  expect(kept.length).toBe(3);
  expect(headersOnly.length).toBe(9);
  expect(transcript.dropped).toEqual({ events: 0, payloadBytes: 9 * 3000 });
});
