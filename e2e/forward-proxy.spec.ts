import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.ts';
import { expect, test } from './fixtures.ts';
import type { ConnectEvent, FrameEvent, RequestEvent } from '../server/src/transcript/types.ts';

// Lesson: a forward proxy. Chrome, told to use the lab's proxy, asks it for a CONNECT tunnel
// to the echo server and speaks WebSocket inside; the proxy cannot change the handshake, but
// the lab reads it passing through and files it under the same connection.

test('through the forward proxy: CONNECT, then the handshake and frames inside the tunnel', async ({ lab }) => {
  const proxy = `127.0.0.1:${lab.ports.forwardProxy}`;
  // Chrome bypasses proxies for loopback unless told otherwise; the lab's page itself stays direct.
  const browser = await chromium.launch(
    chromiumLaunchOptions([`--proxy-server=http://${proxy}`, `--proxy-bypass-list=<-loopback>;127.0.0.1:${lab.ports.ui}`]),
  );
  try {
    const page = await browser.newPage();
    const received: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
    await page.goto(`http://127.0.0.1:${lab.ports.ui}/`);
    await page.getByLabel('Route').selectOption('forward-proxy');
    await expect(page.getByText('stops Chrome bypassing proxies')).toBeVisible();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
    await page.getByLabel('Message text').fill('through the tunnel');
    await page.getByRole('button', { name: 'Send text' }).click();
    await expect.poll(() => received).toContain('through the tunnel');
    await page.getByRole('button', { name: 'Close from browser' }).click();
    await page.getByRole('tab', { name: 'Close' }).click();
    await expect(page.getByText('CloseEvent 1000 “done” wasClean true')).toBeVisible();

    const session = new URL(page.url()).searchParams.get('session')!;
    const connection = lab.store.read(session)!.connections[0]!;
    expect(connection.route).toBe('forward-proxy');
    const connect = connection.events.find((e): e is ConnectEvent => e.kind === 'connect')!;
    expect(connect).toMatchObject({ observer: 'forward-proxy', from: 'browser', target: `127.0.0.1:${lab.ports.echo}` });
    // The tunnel is opaque: what the proxy read inside is byte for byte what the echo server received.
    const requests = connection.events.filter((e): e is RequestEvent => e.kind === 'request');
    const inTunnel = requests.find((r) => r.observer === 'forward-proxy')!;
    const atEcho = requests.find((r) => r.observer === 'echo')!;
    expect(atEcho.from).toBe('forward-proxy');
    expect(inTunnel.headers).toEqual(atEcho.headers);
    const text = connection.events.filter((e): e is FrameEvent => e.kind === 'frame' && e.observer === 'forward-proxy' && e.opcode === 1);
    expect(text.map((f) => [f.from, f.masked, Buffer.from(f.payload, 'base64').toString()])).toEqual([
      ['browser', true, 'through the tunnel'],
      ['echo', false, 'through the tunnel'],
    ]);
  } finally {
    await browser.close();
  }
});
