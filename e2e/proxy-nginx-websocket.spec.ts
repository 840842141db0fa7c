import { echoThenClose, expect, sessionOf, test, watchChromium } from './lesson-kit.ts';
import type { FrameEvent, RequestEvent, ResponseEvent } from '../server/src/transcript/types.ts';

// Lesson: the nginx WebSocket recipe. Connection and Upgrade are hop-by-hop: nginx drops the
// browser's and, told by `proxy_set_header`, writes its own for the next hop — over HTTP/1.1,
// to the upstream's Host. The Hops tab shows each hop's head and what changed between them;
// the lab's record is checked against what Chromium itself sent and received.

test('nginx-websocket: the proxy re-creates Connection and Upgrade and rewrites Host, so the upgrade arrives', async ({ labPage: page, lab, cdpHandshakes }) => {
  const chromium = await watchChromium(page);
  const { proxy, echo } = lab.ports;

  // 1. Choose the preset and connect; the connection shows the nginx location it went through.
  await page.getByLabel('Route').selectOption('reverse-proxy:nginx-websocket');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByText(/^nginx-websocket: /)).toBeVisible();
  const config = page.getByLabel('nginx configuration for nginx-websocket');
  await expect(config).toContainText('proxy_http_version 1.1;');
  await expect(config).toContainText('proxy_set_header Upgrade $http_upgrade;');
  await expect(config).toContainText('proxy_set_header Connection "upgrade";');

  // 2. Say something, hear it back, close normally.
  await echoThenClose(page, chromium, 'through the proxy', 1000, 'done');
  const { sent, received } = chromium.sockets[0]!;

  // 3. The Hops tab: browser → reverse proxy → echo server and back, one arrow per observation.
  await page.getByRole('tab', { name: 'Hops' }).click();
  const hops = page.getByRole('list', { name: 'Sequence of hops' });
  await expect(hops.getByRole('button', { name: /request · browser → reverse proxy · seen by the reverse proxy/ })).toBeVisible();
  await expect(hops.getByRole('button', { name: /^101 Switching Protocols.*response · reverse proxy → browser/ })).toBeVisible();
  await expect(hops.getByRole('button', { name: /frames? \(text.*frames · browser → reverse proxy/ })).toBeVisible();

  // 4. Select the request the proxy sent upstream: its raw head, and what the proxy changed.
  await hops.getByRole('button', { name: /request · reverse proxy → echo server · seen by the reverse proxy/ }).click();
  const detail = page.getByRole('region', { name: 'Hop detail' });
  await expect(detail.getByLabel('request as seen by reverse-proxy')).toContainText(/^GET \/nginx-websocket\/echo\?\S+ HTTP\/1\.1/);
  const changes = detail.getByRole('table', { name: 'Header changes' });
  await expect(changes).toContainText('What the reverse proxy changed');
  const row = (name: string) => changes.getByRole('row', { name: new RegExp(`^${name} `) });
  await expect(row('Connection')).toContainText('Upgrade');
  await expect(row('Connection')).toContainText('upgrade');
  await expect(row('Connection')).toContainText('re-created by the proxy');
  await expect(row('Connection')).toContainText('hop-by-hop');
  await expect(row('Upgrade')).toContainText('re-created by the proxy');
  await expect(row('Upgrade')).toContainText('hop-by-hop');
  await expect(row('Host')).toContainText(`127.0.0.1:${proxy}`);
  await expect(row('Host')).toContainText(`127.0.0.1:${echo}`);
  await expect(row('Host')).toContainText('value changed');
  await expect(row('Host')).not.toContainText('hop-by-hop');
  await expect(row('Sec-WebSocket-Key')).toContainText('unchanged');

  // 5. Between the proxy and the echo server nothing else stood: the same head on both ends.
  await hops.getByRole('button', { name: /request · reverse proxy → echo server · seen by the echo server/ }).click();
  await expect(detail.getByRole('table', { name: 'Header changes' })).toContainText('no differences');

  // Cross-check 1: what the proxy received is what Chromium says it sent.
  const connection = lab.store.read(sessionOf(page))!.connections[0]!;
  const requests = connection.events.filter((e): e is RequestEvent => e.kind === 'request');
  const [atProxy, upstream, atEcho] = [
    requests.find((e) => e.observer === 'reverse-proxy' && e.from === 'browser')!,
    requests.find((e) => e.observer === 'reverse-proxy' && e.to === 'echo')!,
    requests.find((e) => e.observer === 'echo')!,
  ];
  expect(cdpHandshakes).toHaveLength(1);
  expect(Object.fromEntries(atProxy.headers)).toEqual(cdpHandshakes[0]!.headers);
  expect(atProxy.headers).toContainEqual(['Connection', 'Upgrade']);
  expect(atProxy.headers).toContainEqual(['Upgrade', 'websocket']);

  // Cross-check 2: upstream went HTTP/1.1 with the proxy's own Upgrade and Connection first and the upstream Host,
  // and the echo server received exactly that.
  expect(upstream.httpVersion).toBe('1.1');
  expect(upstream.headers.slice(0, 3)).toEqual([
    ['Upgrade', 'websocket'],
    ['Connection', 'upgrade'],
    ['Host', `127.0.0.1:${echo}`],
  ]);
  expect(atEcho.headers).toEqual(upstream.headers);
  const toBrowser = connection.events.find((e): e is ResponseEvent => e.kind === 'response' && e.to === 'browser')!;
  expect(toBrowser.status).toBe(101);

  // Cross-check 3: the frames on both legs carry what Chromium sent and received, and the close was clean.
  const frames = connection.events.filter((e): e is FrameEvent => e.kind === 'frame' && e.opcode === 1);
  const text = (f: FrameEvent) => Buffer.from(f.payload, 'base64').toString('utf8');
  expect(frames.filter((f) => f.from === 'browser').map(text)).toEqual(sent);
  expect(frames.filter((f) => f.to === 'echo' && f.observer === 'echo').map(text)).toEqual(sent);
  expect(frames.filter((f) => f.to === 'browser').map(text)).toEqual(received);
  await expect.poll(() => chromium.sockets[0]?.closed).toBe(true);
  const browserClose = lab.store.read(sessionOf(page))!.connections[0]!.events.find((e) => e.kind === 'close' && e.observer === 'browser');
  expect(browserClose).toMatchObject({ code: 1000, reason: 'done', wasClean: true });
});
