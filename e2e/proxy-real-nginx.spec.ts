import type { Page } from '@playwright/test';
import { connect as connectWith, expect, sessionOf, test, watchChromium, withConnectOptions } from './lesson-kit.ts';
import type { Lab } from '../server/src/lab.ts';
import type { CloseEvent, RequestEvent } from '../server/src/transcript/types.ts';

// Lesson: does the lab's proxy tell the truth? The same three presets, once through the
// bundled reverse proxy and once through real nginx running the generated config. Real nginx
// reports nothing to the lab, so the lab listens on the nginx port itself and relays to nginx:
// its tap records the browser's leg, the echo server records nginx's. The compare view puts the two side by side; only the
// Sec-WebSocket-Key, new for every connection, may differ. Host is the same on both: each proxy
// sends the upstream's host:port, and both forward to the same echo server.

const TIMEOUT_MS = 1500;

test.beforeEach(({ lab }) => {
  // These lessons are about real nginx: without it they fail and say how to get it, never skip.
  const nginx = lab.info().nginx;
  if (!nginx.available) throw new Error(`real nginx is not running: ${nginx.reason} (apt-get install nginx-light)`);
});

/** Choose a route and press Connect; the id is the one the URL shows before it opens. */
const connect = async (page: Page, route: string): Promise<string> => (await connectWith(page, { route })).conn;

/** The connection list entry of `conn`, showing its state. */
const listed = (page: Page, conn: string) => page.getByRole('option', { name: new RegExp(`^${conn} `) });

async function sayHelloAndClose(page: Page, conn: string): Promise<void> {
  await expect(listed(page, conn)).toContainText('open');
  await page.getByLabel('Message text').fill(`hello from ${conn}`);
  await page.getByRole('button', { name: 'Send text' }).click();
  await page.getByLabel('Client close code').fill('1000');
  await page.getByLabel('Client close reason').fill('done');
  await page.getByRole('button', { name: 'Close from browser' }).click();
  await expect(listed(page, conn)).toContainText('closed 1000');
}

/** Compare view, bundled proxy on the left, real nginx on the right: the same request at the echo server, but for its new key. */
async function compareAtEcho(page: Page, bundled: string, nginx: string, outcome: string, close: string): Promise<void> {
  await page.getByRole('button', { name: 'Compare view' }).click();
  const compare = page.getByRole('region', { name: 'Compare' });
  await compare.getByLabel('Left connection').selectOption(bundled);
  await compare.getByLabel('Right connection').selectOption(nginx);
  const table = compare.getByRole('table', { name: 'Side by side' });
  const row = (name: string) => table.getByRole('row', { name: new RegExp(`^${name}`) });
  await expect(row('Outcome').getByRole('cell')).toHaveText([outcome, outcome]);
  await expect(row('Browser close').getByRole('cell')).toHaveText([close, close]);
  await expect(row('Request line at the echo server')).not.toContainText('differs');
  const headers = compare.getByRole('table', { name: 'Headers the echo server received' });
  // A new Sec-WebSocket-Key per connection is no difference: the echo server received the same request.
  await expect(headers.getByRole('row', { name: /^Sec-WebSocket-Key / })).toContainText('new for every connection');
  await expect(headers.locator('caption')).toContainText('(no differences)');
  await page.getByRole('button', { name: 'Details view' }).click();
}

/** Cross-check with the transcript: the echo server received the same request line and headers both ways. */
function expectSameRequestAtEcho(lab: Lab, session: string, bundled: string, nginx: string): void {
  const connections = lab.store.read(session)!.connections;
  const atEcho = (id: string) => connections.find((c) => c.id === id)!.events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === 'echo')!;
  const [a, b] = [atEcho(bundled), atEcho(nginx)];
  expect([b.method, b.target.split('?')[0], b.httpVersion]).toEqual([a.method, a.target.split('?')[0], a.httpVersion]);
  // The only value that must differ: a new Sec-WebSocket-Key per connection (RFC 6455 §4.1).
  const comparable = (e: RequestEvent) => e.headers.map(([n, v]) => [n, n.toLowerCase() === 'sec-websocket-key' ? '<key>' : v]);
  expect(comparable(b)).toEqual(comparable(a));
  expect(connections.find((c) => c.id === nginx)).toMatchObject({ route: 'nginx' });
}

const browserClose = (lab: Lab, session: string, id: string) =>
  lab.store.read(session)!.connections.find((c) => c.id === id)!.events.find((e): e is CloseEvent => e.kind === 'close' && e.observer === 'browser');

test('nginx-websocket through real nginx: upgraded, and the echo server saw what the bundled proxy sends', async ({ labPage: page, lab }) => {
  const chromium = await watchChromium(page);
  const bundled = await connect(page, 'reverse-proxy:nginx-websocket');
  await sayHelloAndClose(page, bundled);
  const nginx = await connect(page, 'nginx:nginx-websocket');
  await sayHelloAndClose(page, nginx);

  // The Hops tab of the nginx connection: nginx is a column, seen on both sides, by the lab's tap and by the echo server.
  await page.getByRole('tab', { name: 'Hops' }).click();
  const hops = page.getByRole('list', { name: 'Sequence of hops' });
  await expect(hops.getByRole('button', { name: /^GET \/nginx-websocket\/echo HTTP\/1\.1.*request · nginx → echo server · seen by the echo server/ })).toBeVisible();
  await expect(hops.getByRole('button', { name: /^GET \/nginx-websocket\/echo HTTP\/1\.1.*request · browser → nginx · seen by the nginx/ })).toBeVisible();

  await compareAtEcho(page, bundled, nginx, 'open (101 Switching Protocols)', 'CloseEvent 1000 “done” wasClean true');
  expectSameRequestAtEcho(lab, sessionOf(page), bundled, nginx);
  expect(browserClose(lab, sessionOf(page), nginx)).toMatchObject({ code: 1000, wasClean: true });
  await expect.poll(() => chromium.find(nginx)?.closed).toBe(true);
  expect(chromium.socket(nginx).errors).toEqual([]);
});

test('nginx-default through real nginx: 426 from the echo server, 1006 in the browser, as through the bundled proxy', async ({ labPage: page, lab }) => {
  const chromium = await watchChromium(page);
  const bundled = await connect(page, 'reverse-proxy:nginx-default');
  await expect(listed(page, bundled)).toContainText('closed 1006');
  const nginx = await connect(page, 'nginx:nginx-default');
  await expect(listed(page, nginx)).toContainText('closed 1006');

  await compareAtEcho(page, bundled, nginx, 'refused with 426 Upgrade Required', 'CloseEvent 1006 “” wasClean false');
  expectSameRequestAtEcho(lab, sessionOf(page), bundled, nginx);
  expect(browserClose(lab, sessionOf(page), nginx)).toMatchObject({ code: 1006, wasClean: false });
  // Chromium read nginx's relay of the refusal itself.
  await expect.poll(() => chromium.find(nginx)?.errors.join('\n')).toContain('426');
});

test('nginx-idle-timeout through real nginx: cut after the timeout, kept open by heartbeat', async ({ labPage: page, lab }) => {
  const chromium = await watchChromium(page);
  // Both idle at once: each proxy cuts its tunnel after the same proxy_read_timeout.
  const bundled = await connect(page, 'reverse-proxy:nginx-idle-timeout');
  await expect(listed(page, bundled)).toContainText('open');
  const nginx = await connect(page, 'nginx:nginx-idle-timeout');
  await expect(listed(page, nginx)).toContainText('open');
  await expect(listed(page, bundled)).toContainText('closed 1006', { timeout: 3 * TIMEOUT_MS });
  await expect(listed(page, nginx)).toContainText('closed 1006', { timeout: 3 * TIMEOUT_MS });

  await compareAtEcho(page, bundled, nginx, 'open (101 Switching Protocols)', 'CloseEvent 1006 “” wasClean false');
  expectSameRequestAtEcho(lab, sessionOf(page), bundled, nginx);
  const cut = chromium.socket(nginx);
  expect(cut.closedAt - cut.createdAt).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);

  // The fix, through real nginx too: pings every 500 ms keep the tunnel open past the timeout.
  await withConnectOptions(page, (options) => options.getByLabel('Heartbeat (ms)').fill('500'));
  const kept = await connect(page, 'nginx:nginx-idle-timeout');
  await expect(listed(page, kept)).toContainText('open');
  await page.waitForTimeout(2 * TIMEOUT_MS);
  await expect(listed(page, kept)).toContainText('open');
  expect(chromium.socket(kept).closed).toBe(false);
  await page.getByLabel('Client close code').fill('1000');
  await page.getByLabel('Client close reason').fill('done');
  await page.getByRole('button', { name: 'Close from browser' }).click();
  await expect(listed(page, kept)).toContainText('closed 1000');
  const events = lab.store.read(sessionOf(page))!.connections.find((c) => c.id === kept)!.events;
  expect(events.filter((e) => e.kind === 'frame' && e.opcode === 0x9 && e.observer === 'echo').length).toBeGreaterThanOrEqual(4);
  expect(browserClose(lab, sessionOf(page), kept)).toMatchObject({ code: 1000, wasClean: true });
});
