import { afterAll, beforeAll, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { startProxy, tryOpen, type ProxyFixture } from '../helpers/proxy.ts';

let lab: ProxyFixture;
beforeAll(async () => {
  lab = await startProxy();
});
afterAll(() => lab.close());

const openDescriptors = () => readdirSync('/proc/self/fd').length;

/** Runs `total` tasks, `width` at a time. */
async function pool(total: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < total) await task(next++);
  }));
}

it('1,000 refused and 1,000 successful proxied upgrades leave no descriptor open', async () => {
  // Warm up: the first connections allocate descriptors the process then keeps (epoll, timers).
  await tryOpen(`ws://127.0.0.1:${lab.proxyPort}/nginx-default/echo`);
  const baseline = openDescriptors();
  const deadline = Date.now() + 60_000;
  await pool(1000, 20, async (i) => {
    if (Date.now() > deadline) throw new Error('over the 60 s budget');
    const outcome = await tryOpen(`ws://127.0.0.1:${lab.proxyPort}/nginx-default/echo?conn=fail-${i}`);
    if (outcome.kind !== 'refused' || outcome.status !== 426) throw new Error(`refusal ${i}: ${outcome.kind}`);
  });
  await pool(1000, 20, async (i) => {
    if (Date.now() > deadline) throw new Error('over the 60 s budget');
    const outcome = await tryOpen(`ws://127.0.0.1:${lab.proxyPort}/nginx-websocket/echo?conn=ok-${i}`);
    if (outcome.kind !== 'open') throw new Error(`upgrade ${i}: ${outcome.kind}`);
    await new Promise<void>((resolve) => {
      outcome.ws.once('close', () => resolve());
      outcome.ws.close(1000);
    });
  });
  // Sockets close asynchronously; poll until the count settles back.
  const settleBy = Date.now() + 5_000;
  while (openDescriptors() > baseline && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 50));
  expect(openDescriptors()).toBeLessThanOrEqual(baseline);
}, 90_000);
