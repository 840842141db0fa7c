import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connection, eventsOf, eventually, startEcho, type EchoFixture } from '../helpers/net.ts';

// Regression: ws unmasks a client frame in place, inside the chunk it was handed. A tap that
// read the chunk after ws did saw unmasked bytes and unmasked them again, so short browser
// frames (the ones ws does not copy) were recorded as garbage.

let lab: EchoFixture;
beforeAll(async () => {
  lab = await startEcho();
});
afterAll(() => lab.close());

it('records short client frames as the client sent them, with their mask key', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/echo?lab=${lab.session}&conn=short`);
  await new Promise((r) => ws.once('open', r));
  const messages = ['My name is LiuYue', 'a', 'ünïcødé ✓'];
  for (const m of messages) {
    ws.send(m);
    await new Promise((r) => ws.once('message', r));
  }
  ws.close(4000, 'done');
  await new Promise((r) => ws.once('close', r));
  const frames = await eventually(() => {
    const f = eventsOf(connection(lab.store, lab.session, 'short'), 'frame');
    if (f.filter((x) => x.opcode === 8).length < 2) throw new Error('closes not recorded yet');
    return f;
  });
  const fromClient = frames.filter((f) => f.from === 'browser');
  expect(fromClient.filter((f) => f.opcode === 1).map((f) => Buffer.from(f.payload, 'base64').toString())).toEqual(messages);
  expect(fromClient.every((f) => f.masked && /^[0-9a-f]{8}$/.test(f.maskKey ?? ''))).toBe(true);
  expect(fromClient.find((f) => f.opcode === 8)?.close).toEqual({ code: 4000, reason: 'done' });
  expect(eventsOf(connection(lab.store, lab.session, 'short'), 'error')).toEqual([]);
});
