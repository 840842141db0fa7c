import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEcho, responseHead, upgradeRequest, type EchoFixture } from '../helpers/net.ts';

// A client that sends without ever reading its echoes must not make the echo server queue
// them in memory: past a few MB owed, the server stops reading from that client.

let lab: EchoFixture;
beforeAll(async () => {
  lab = await startEcho();
});
afterAll(() => lab.close());

/** One masked binary frame of 64 KiB with a zero mask key, so the payload is sent as is. */
function frame(): Buffer {
  const header = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, Buffer.alloc(64 * 1024, 0x62)]);
}

it('stops reading from a client that does not read its echoes', async () => {
  const { head, socket } = await responseHead(lab.port, upgradeRequest('/echo', lab.port));
  expect(head).toMatch(/^HTTP\/1.1 101 /);
  socket.pause(); // never read the echoes
  const one = frame();
  for (let i = 0; i < 1024; i++) socket.write(one); // 64 MiB
  await new Promise((r) => setTimeout(r, 1500));
  expect(socket.writableLength).toBeGreaterThan(16 * 1024 * 1024);
  socket.destroy();
}, 20_000);
