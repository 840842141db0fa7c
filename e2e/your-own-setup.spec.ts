import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { startLab } from '../server/src/lab.ts';
import { parseUpstreams } from '../server/src/upstream/upstreams.ts';
import type { RequestEvent } from '../server/src/transcript/types.ts';
import { browserClose, echoThenClose, expect, recorded, sessionOf, test, watchChromium } from './lesson-kit.ts';

// Lesson: your own setup. A developer pastes the nginx location that breaks their WebSockets in
// production: the lab names the known pitfalls in the text, runs it in real nginx, and a run from
// this page confirms each one with what the hops recorded. Then the lab goes in front of their
// own WebSocket server, and they see what it received.

test.beforeEach(({ lab }) => {
  const nginx = lab.info().nginx;
  if (!nginx.available) throw new Error(`real nginx is not running: ${nginx.reason} (apt-get install nginx-light)`);
});

/** Five classic mistakes in one location, each visible in a single run. */
const BROKEN = `location /ws/ {
    proxy_pass http://app.internal:3000/;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "upgrade";
    proxy_set_header Host $host;
    proxy_read_timeout 1s;
}`;

async function openPanel(page: Page) {
  await page.getByRole('button', { name: 'Your nginx config…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Your nginx config, run in real nginx' });
  await expect(dialog).toBeVisible();
  const text = dialog.getByLabel('Your nginx config: a location block or a server block, with the map blocks it uses');
  await expect(text).toBeFocused();
  return { dialog, text };
}

/** Choose a route to your server and press Connect (its URL carries no echo server parameters). */
async function connect(page: Page, route: string): Promise<{ conn: string; url: string }> {
  await page.getByLabel('Route').selectOption(route);
  const url = (await page.getByLabel('URL it will open').textContent()) ?? '';
  const conn = new URL(url).searchParams.get('conn')!;
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  return { conn, url };
}

const gutterLine = (page: Page, line: number) => page.locator(`.config-gutter [data-line="${line}"]`);

test('a pasted location: the static check names its pitfalls, and a run through real nginx confirms each', async ({ labPage: page, lab }) => {
  const chromium = await watchChromium(page);
  const { dialog, text } = await openPanel(page);
  await text.fill(BROKEN);
  await text.press('Control+Enter');
  await expect(dialog.getByText(/^nginx -t passed, and real nginx runs it as custom:[0-9a-f]+, pointed at the echo server\.$/)).toBeVisible();

  const pitfalls = dialog.getByRole('list', { name: 'Pitfalls' }).getByRole('listitem');
  await expect(pitfalls).toHaveCount(5);
  await expect(pitfalls.nth(0)).toContainText('No proxy_http_version 1.1: nginx speaks HTTP/1.0 to the upstream by default.');
  await expect(dialog.getByRole('listitem', { name: 'connection-constant' })).toContainText('Connection "upgrade" is sent for every request through this location');
  await expect(dialog.getByRole('listitem', { name: 'read-timeout' })).toContainText('proxy_read_timeout 1s');
  await expect(gutterLine(page, 5)).toHaveAttribute('data-mark', 'pitfall');

  await expect(dialog.getByText(/the run will open a WebSocket from this page to .*, then stay quiet for 2 s to see proxy_read_timeout act, then close with 1000, then send a plain GET/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Run through this config' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Staying quiet' })).toBeVisible();
  await expect(dialog.getByRole('status').filter({ hasText: /^Done: c-\w+ is in the connection list/ })).toBeVisible({ timeout: 20_000 });
  for (const id of ['proxy-http-version', 'connection-constant', 'host-without-port', 'read-timeout', 'proxy-pass-uri']) {
    await expect(dialog.getByRole('listitem', { name: `${id}: confirmed` })).toContainText('confirmed by the run');
  }
  await expect(dialog.getByRole('listitem', { name: 'proxy-pass-uri: confirmed' })).toContainText('The browser asked nginx for /ws/; the echo server received /');

  // Chromium's own account of the run: the echo came back, then nginx cut the quiet tunnel without a close frame.
  const status = await dialog.getByRole('status').filter({ hasText: 'Done:' }).textContent();
  const conn = /Done: (c-\w+)/.exec(status ?? '')![1]!;
  const socket = chromium.socket(conn);
  expect(socket.received).toEqual(['hello through your nginx config']);
  expect(await browserClose(lab, page, conn)).toMatchObject({ code: 1006, wasClean: false });
  const run = recorded(lab, page, conn);
  expect(run).toMatchObject({ route: 'nginx', preset: expect.stringMatching(/^custom:[0-9a-f]+$/) });
  const atEcho = run.events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === 'echo')!;
  expect([atEcho.target.split('?')[0], atEcho.httpVersion]).toEqual(['/', '1.0']);
  // The plain GET the page sent through the same location reached the echo server asking to upgrade to nothing.
  const plain = recorded(lab, page, `${conn}-plain`).events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === 'echo')!;
  expect(plain.headers.find(([n]) => n === 'Connection')).toEqual(['Connection', 'upgrade']);
  expect(plain.headers.some(([n]) => n.toLowerCase() === 'upgrade')).toBe(false);

  // Closing the dialog shows the run's connection, diagnosed like any other.
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByRole('heading', { name: `Connection ${conn}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Findings' }).first()).toContainText('nginx closed both legs after');
});

test('a config the lab refuses, and one nginx -t refuses: the reason, and the line it is about', async ({ labPage: page, lab }) => {
  const { dialog, text } = await openPanel(page);
  await text.fill('location /ws/ {\n    proxy_pass http://app.internal:3000;\n    include /etc/nginx/proxy_params;\n}');
  await dialog.getByRole('button', { name: 'Check and run in nginx' }).click();
  const refused = dialog.getByRole('region', { name: 'Lines the lab will not run' });
  await expect(refused).toContainText('include reads another file from this machine, and the lab runs only the text you paste');
  await expect(gutterLine(page, 3)).toHaveAttribute('data-mark', 'error');
  await refused.getByRole('button', { name: 'Go to line 3' }).click();
  await expect(text).toBeFocused();
  expect(await text.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd))).toBe('    include /etc/nginx/proxy_params;');
  expect(lab.info().nginxConfigs.available).toBe(true);

  await text.fill('location /ws/ {\n    proxy_pass http://app.internal:3000;\n    proxy_http_version 1.3;\n}');
  await expect(dialog.getByText('The text changed since it was checked')).toBeVisible();
  await dialog.getByRole('button', { name: 'Check and run in nginx' }).click();
  const failed = dialog.getByRole('region', { name: 'nginx -t failed' });
  await expect(failed).toContainText('nginx: [emerg] invalid value "1.3"');
  await expect(dialog.getByRole('alert')).toContainText('nginx -t failed on line 3: invalid value "1.3"');
  await expect(gutterLine(page, 3)).toHaveAttribute('data-mark', 'error');
  await expect(dialog.getByRole('button', { name: 'Run through this config' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('the lab in front of your own server: pass-through and a preset, both legs recorded', async ({ page }) => {
  // The user's app: a ws server that echoes, and notes what each upgrade request looked like on arrival.
  const received: { url: string; host: string }[] = [];
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(String(m))));
  const server = http.createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req, socket, head) => {
    received.push({ url: req.url ?? '', host: req.headers.host ?? '' });
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const upstreams = parseUpstreams([`app=ws://127.0.0.1:${port}/chat`]);
  if (typeof upstreams === 'string') throw new Error(upstreams);
  const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, nginxPort: 0, upstreams });
  try {
    const chromium = await watchChromium(page);
    await page.goto(`http://127.0.0.1:${lab.ports.ui}/`);
    await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
    const route = page.getByLabel('Route');
    await expect(route.locator('optgroup[label="Your server app · bundled proxy"]').getByRole('option', { name: `pass-through → ws://127.0.0.1:${port}/chat` })).toBeAttached();
    await expect(route.locator('optgroup[label="Your server app · real nginx"]').getByRole('option', { name: `nginx-websocket → ws://127.0.0.1:${port}/chat` })).toBeAttached();

    const passed = await connect(page, 'reverse-proxy:upstream:app');
    expect(passed.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${lab.ports.proxy}/upstream/app/chat\\?lab=[^&]+&conn=${passed.conn}$`));
    await echoThenClose(page, chromium, 'hello, my own server', 1000, 'bye');
    expect(received.at(-1)).toEqual({ url: `/chat?lab=${sessionOf(page)}&conn=${passed.conn}`, host: `127.0.0.1:${lab.ports.proxy}` });
    await expect(page.getByText(`The server end is your server app (ws://127.0.0.1:${port}/chat)`)).toBeVisible();
    await page.getByRole('tab', { name: 'Hops' }).click();
    const hops = page.getByRole('list', { name: 'Sequence of hops' });
    await expect(hops.getByRole('button', { name: /^GET \/upstream\/app\/chat HTTP\/1\.1 .*request · browser → reverse proxy · seen by the reverse proxy/ })).toBeVisible();
    await expect(hops.getByRole('button', { name: /^GET \/chat HTTP\/1\.1 .*request · reverse proxy → echo server · seen by the reverse proxy/ })).toBeVisible();

    const viaNginx = await connect(page, 'nginx:upstream:app:nginx-websocket');
    await echoThenClose(page, chromium, 'hello through nginx', 1000, 'bye');
    expect(received.at(-1)).toEqual({ url: `/chat?lab=${sessionOf(page)}&conn=${viaNginx.conn}`, host: `127.0.0.1:${port}` });
    const c = lab.store.read(sessionOf(page))!.connections.find((x) => x.id === viaNginx.conn)!;
    expect(c).toMatchObject({ route: 'nginx', preset: 'nginx-websocket', upstream: { name: 'app' } });
    expect(new Set(c.events.filter((e) => e.kind === 'frame').map((e) => `${e.observer}:${e.from}->${e.to}`))).toEqual(
      new Set(['nginx:browser->nginx', 'nginx:nginx->browser', 'nginx:nginx->echo', 'nginx:echo->nginx']),
    );
  } finally {
    await lab.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
