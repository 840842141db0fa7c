import { test } from './lab-fixture.ts';

// An example of the `lab` fixture in a suite of your own: the same exchange straight to the echo
// server and through the nginx WebSocket recipe works, while `proxy_pass` alone drops the upgrade.

test('the WebSocket recipe upgrades through the proxy, and proxy_pass alone does not', async ({ lab, page }) => {
  const run = await lab.replay(page);
  await run.connect('direct', 'direct', '/echo', []);
  await run.connect('recipe', 'reverse-proxy:nginx-websocket', '/echo', []);
  await run.connect('bare', 'reverse-proxy:nginx-default', '/echo', []);
  await run.send('recipe', 'hello through the proxy');
  await run.close('direct', 1000, 'done');
  await run.close('recipe', 1000, 'done');
  await run.expect([
    { kind: 'status', on: 'direct', status: 101 },
    { kind: 'status', on: 'recipe', status: 101 },
    { kind: 'header', on: 'recipe', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Connection', present: true, value: 'upgrade' },
    { kind: 'frames', on: 'recipe', from: 'echo', to: 'reverse-proxy', seenBy: 'echo', opcode: 1, count: 1, text: 'hello through the proxy' },
    { kind: 'close', on: 'recipe', code: 1000, wasClean: true, reason: 'done' },
    { kind: 'status', on: 'bare', status: 426, from: 'echo', to: 'reverse-proxy' },
    { kind: 'header', on: 'bare', event: 'request', from: 'reverse-proxy', to: 'echo', seenBy: 'echo', name: 'Upgrade', present: false },
    { kind: 'close', on: 'bare', code: 1006, wasClean: false },
  ]);
});
