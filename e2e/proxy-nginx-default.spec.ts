import { expect, sessionOf, test, watchChromium } from './lesson-kit.ts';
import type { RequestEvent, ResponseEvent } from '../server/src/transcript/types.ts';

// Lesson: `proxy_pass` alone. nginx drops the browser's hop-by-hop Upgrade and Connection, as
// RFC 9110 §7.6.1 asks, and nothing tells it to write them again: the echo server gets a plain
// HTTP/1.0 GET, answers 426 Upgrade Required, and the browser — which never learns why — sees
// an error event and CloseEvent 1006. The Hops tab shows where the Upgrade header was lost.

test('nginx-default: Upgrade is dropped at the proxy, the echo server answers 426, the browser sees 1006', async ({ labPage: page, lab, cdpHandshakes }) => {
  const chromium = await watchChromium(page);

  // 1. Choose the preset and connect: the connection shows its nginx location, a bare proxy_pass.
  await page.getByLabel('Route').selectOption('reverse-proxy:nginx-default');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByText(/^nginx-default: /)).toBeVisible();
  const config = page.getByLabel('nginx configuration for nginx-default');
  await expect(config).toContainText('proxy_pass http://');
  await expect(config).not.toContainText('proxy_set_header');

  // 2. The status line and the connection list say it failed.
  await expect(page.getByRole('status').filter({ hasText: 'closed with code 1006' })).toContainText('wasClean false');
  await expect(page.getByRole('option', { name: /reverse-proxy · nginx-default closed 1006/ })).toBeVisible();
  await page.getByRole('tab', { name: 'Close' }).click();
  await expect(page.getByText('CloseEvent 1006 “” wasClean false')).toBeVisible();

  // 3. The Hops tab: the 426 travels back from the echo server through the proxy to the browser.
  await page.getByRole('tab', { name: 'Hops' }).click();
  const hops = page.getByRole('list', { name: 'Sequence of hops' });
  await expect(hops.getByRole('button', { name: /^426 Upgrade Required.*response · echo server → reverse proxy · seen by the echo server/ })).toBeVisible();
  await expect(hops.getByRole('button', { name: /^426 Upgrade Required.*response · reverse proxy → browser/ })).toBeVisible();
  await expect(hops.getByRole('button', { name: /frames ·/ })).toHaveCount(0);

  // 4. What the proxy sent upstream: HTTP/1.0, Connection: close, and no Upgrade at all.
  await hops.getByRole('button', { name: /request · reverse proxy → echo server · seen by the reverse proxy/ }).click();
  const detail = page.getByRole('region', { name: 'Hop detail' });
  await expect(detail.getByLabel('request as seen by reverse-proxy')).toContainText(/^GET \/nginx-default\/echo\?\S+ HTTP\/1\.0/);
  const changes = detail.getByRole('table', { name: 'Header changes' });
  const row = (name: string) => changes.getByRole('row', { name: new RegExp(`^${name} `) });
  await expect(row('Upgrade')).toContainText('websocket');
  await expect(row('Upgrade')).toContainText('(absent)');
  await expect(row('Upgrade')).toContainText('removed');
  await expect(row('Upgrade')).toContainText('hop-by-hop');
  await expect(row('Connection')).toContainText('Upgrade');
  await expect(row('Connection')).toContainText('close');
  await expect(row('Connection')).toContainText('re-created by the proxy, value changed');

  // 5. The echo server's refusal, as the proxy relayed it to the browser.
  await hops.getByRole('button', { name: /response · reverse proxy → browser/ }).click();
  await expect(detail.getByLabel('response as seen by reverse-proxy')).toContainText("HTTP/1.1 426 Upgrade Required");
  await expect(detail.getByLabel('response as seen by reverse-proxy')).toContainText("missing 'Upgrade' header");

  // Cross-check with the transcript: the echo server got no Upgrade, over HTTP/1.0, and refused with 426.
  const connection = lab.store.read(sessionOf(page))!.connections[0]!;
  const atEcho = connection.events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === 'echo')!;
  expect(atEcho.httpVersion).toBe('1.0');
  expect(atEcho.headers.map(([n]) => n.toLowerCase())).not.toContain('upgrade');
  expect(atEcho.headers).toContainEqual(['Connection', 'close']);
  const responses = connection.events.filter((e): e is ResponseEvent => e.kind === 'response');
  expect(responses.map((r) => [r.observer, r.from, r.to, r.status])).toEqual([
    ['echo', 'echo', 'reverse-proxy', 426],
    ['reverse-proxy', 'echo', 'reverse-proxy', 426],
    ['reverse-proxy', 'reverse-proxy', 'browser', 426],
  ]);
  expect(connection.events.some((e) => e.kind === 'open' || e.kind === 'frame')).toBe(false);
  expect(connection.events.find((e) => e.kind === 'close' && e.observer === 'browser')).toMatchObject({ code: 1006, wasClean: false });

  // Cross-check with Chromium: it sent Upgrade (the proxy received it), and it failed on the 426.
  expect(cdpHandshakes).toHaveLength(1);
  expect(cdpHandshakes[0]!.headers.Upgrade).toBe('websocket');
  const atProxy = connection.events.find((e): e is RequestEvent => e.kind === 'request' && e.to === 'reverse-proxy')!;
  expect(Object.fromEntries(atProxy.headers)).toEqual(cdpHandshakes[0]!.headers);
  await expect.poll(() => chromium.sockets[0]?.closed).toBe(true);
  expect(chromium.sockets[0]!.errors.join('\n')).toContain('426');
});
