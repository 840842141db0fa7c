import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { diagnose } from '../../src/diagnose/index.ts';
import type { FrameEvent } from '../../src/transcript/types.ts';
import { eventually, startEcho, type EchoFixture } from '../helpers/net.ts';

// Regression: a compressed message larger than the 64 KiB copy cap used to stop the lab's
// inflater. With context takeover every later compressed message, both ways, then lost its
// inflated text, and a valid, cleanly closed connection got a false "frame that breaks
// RFC 6455 (NOT_INFLATED)" finding. The inflater now sees every compressed byte; only the
// stored copy is capped.

let lab: EchoFixture;
beforeAll(async () => {
  lab = await startEcho();
});
afterAll(() => lab.close());

it('inflates every message after one over the copy cap, both ways, and finds nothing wrong', async () => {
  const url = `ws://127.0.0.1:${lab.port}/echo?lab=${lab.session}&conn=big&deflate=on`;
  const ws = new WebSocket(url, { perMessageDeflate: { threshold: 0 } });
  ws.on('error', () => {});
  await new Promise((resolve) => ws.once('open', resolve));
  // Random base64 barely compresses: about 100 KiB on the wire, past the 64 KiB cap.
  const big = randomBytes(100_000).toString('base64');
  const messages = [big, 'hello after the big one', `${big.slice(-3000)} repeated from the big one`];
  for (const message of messages) {
    ws.send(message);
    await new Promise((resolve) => ws.once('message', resolve));
  }
  ws.close(1000, 'done');
  const connection = await eventually(() => {
    const c = lab.store.read(lab.session)!.connections.find((x) => x.id === 'big')!;
    if (c.events.filter((e) => e.kind === 'close').length === 0) throw new Error('not closed yet');
    return c;
  });
  const data = (from: string) => connection.events.filter((e): e is FrameEvent => e.kind === 'frame' && e.opcode === 0x1 && e.from === from);
  for (const from of ['browser', 'echo']) {
    const frames = data(from);
    expect(frames.map((f) => f.rsv1)).toEqual([true, true, true]);
    expect(frames[0]!.length).toBeGreaterThan(64 * 1024);
    expect(frames[0]!.truncated).toBe(true);
    expect(frames.map((f) => f.inflatedLength)).toEqual(messages.map((m) => m.length));
    // The stored copy is capped like payloads, and is the message's first bytes.
    expect(Buffer.from(frames[0]!.inflated!, 'base64').toString()).toBe(big.slice(0, 64 * 1024));
    expect(frames.slice(1).map((f) => Buffer.from(f.inflated!, 'base64').toString())).toEqual(messages.slice(1));
  }
  expect(connection.events.filter((e) => e.kind === 'error')).toEqual([]);
  expect(diagnose(connection)).toEqual([]);
});
