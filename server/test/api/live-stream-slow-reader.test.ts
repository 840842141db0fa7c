import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startLab, type Lab } from '../../src/lab.ts';
import { eventually } from '../helpers/net.ts';

// A reader that stops reading must not make the lab buffer without limit: the stream skips
// events past its queue limit and, once the reader drains, says how many it skipped.

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0 });
});
afterAll(() => lab.close());

it('skips events for a stalled reader and tells it with `event: dropped`', async () => {
  const session = lab.store.createSession();
  lab.store.openConnection(session, 'flood', { url: 'ws://x/', route: 'direct' });
  const socket = connect(lab.ports.ui, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise((r) => socket.once('connect', r));
  socket.write(`GET /api/sessions/${session}/live HTTP/1.1\r\nHost: 127.0.0.1:${lab.ports.ui}\r\n\r\n`);
  await new Promise((r) => socket.once('data', r));
  socket.pause();
  const payload = Buffer.alloc(60 * 1024, 0x61).toString('base64');
  for (let i = 0; i < 400; i++) {
    lab.store.append(session, 'flood', {
      kind: 'frame', observer: 'echo', from: 'browser', to: 'echo', fin: true, rsv1: false, rsv2: false, rsv3: false,
      opcode: 2, masked: false, length: 60 * 1024, payload, truncated: false,
    });
    await new Promise((r) => setImmediate(r));
  }
  let text = '';
  socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
  socket.resume();
  const dropped = await eventually(() => {
    const match = /event: dropped\r?\ndata: (\{[^\n]*\})/.exec(text);
    if (!match) throw new Error('no dropped notice yet');
    return JSON.parse(match[1]!) as { events: number };
  }, 10_000);
  expect(dropped.events).toBeGreaterThan(0);
  expect(dropped.events).toBeLessThan(400);
  socket.destroy();
}, 30_000);
