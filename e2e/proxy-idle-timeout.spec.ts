import { expect, sessionOf, test, watchChromium, withConnectOptions } from './lesson-kit.ts';
import type { ErrorEvent, FrameEvent, LabEvent } from '../server/src/transcript/types.ts';

// Lesson: proxy_read_timeout. nginx cuts a tunnel that carried no data either way for that
// long, without a close frame: the browser sees 1006, wasClean false. The lab's fixture sets
// the timeout to 1.5 s. The fix is traffic: with heartbeat=500 the echo server pings every
// 0.5 s, the browser answers each with a pong, and the tunnel stays up past the timeout.

const TIMEOUT_MS = 1500;

const ms = (e: LabEvent) => Date.parse(e.time);

test('nginx-idle-timeout: an idle tunnel is cut after the timeout, and the browser sees 1006', async ({ labPage: page, lab }) => {
  const chromium = await watchChromium(page);

  // 1. Choose the preset, the WebSocket recipe with proxy_read_timeout, and connect; the connection shows that location.
  await page.getByLabel('Route').selectOption('reverse-proxy:nginx-idle-timeout');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByLabel('nginx configuration for nginx-idle-timeout')).toContainText('proxy_read_timeout 1500ms;');

  // 2. Send nothing: after 1.5 s of silence the proxy closes both sockets.
  await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
  await page.getByRole('tab', { name: 'Close' }).click();
  await expect(page.getByText('CloseEvent 1006 “” wasClean false')).toBeVisible({ timeout: 3 * TIMEOUT_MS });
  await expect(page.getByRole('option', { name: /nginx-idle-timeout closed 1006/ })).toBeVisible();

  // 3. The Hops tab shows the proxy's own note of why it cut the tunnel, and no close frame anywhere.
  await page.getByRole('tab', { name: 'Hops' }).click();
  const hops = page.getByRole('list', { name: 'Sequence of hops' });
  await expect(hops.getByRole('button', { name: /frames ·/ })).toHaveCount(0);
  await hops.getByRole('button', { name: /^error PROXY_READ_TIMEOUT.*reverse proxy → browser/ }).click();
  await expect(page.getByRole('region', { name: 'Hop detail' })).toContainText(`no data either way for ${TIMEOUT_MS} ms (proxy_read_timeout)`);
  await expect(hops.getByRole('button', { name: /^close 1006 wasClean false.*seen by the browser/ })).toBeVisible();

  // Cross-check with the transcript: the cut came a full timeout after the upgrade, on both legs, with no close frame.
  const events = lab.store.read(sessionOf(page))!.connections[0]!.events;
  const upgraded = events.find((e) => e.kind === 'response' && e.to === 'browser' && e.status === 101)!;
  const cuts = events.filter((e): e is ErrorEvent => e.kind === 'error' && e.code === 'PROXY_READ_TIMEOUT');
  expect(cuts.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['echo>reverse-proxy', 'reverse-proxy>browser']);
  expect(ms(cuts[0]!) - ms(upgraded)).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  expect(events.some((e) => e.kind === 'frame')).toBe(false);
  expect(events.find((e) => e.kind === 'close' && e.observer === 'browser')).toMatchObject({ code: 1006, wasClean: false });

  // Cross-check with Chromium: its socket closed about one timeout after it was created.
  await expect.poll(() => chromium.sockets[0]?.closedAt).toBeGreaterThan(0);
  expect(chromium.sockets[0]!.closedAt - chromium.sockets[0]!.createdAt).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
  expect(chromium.sockets[0]!.closedAt - chromium.sockets[0]!.createdAt).toBeLessThan(3 * TIMEOUT_MS);
});

test('nginx-idle-timeout fixed: with heartbeat=500 the tunnel carries pings and stays open past the timeout', async ({ labPage: page, lab }) => {
  const chromium = await watchChromium(page);

  // 1. Same preset; this time the echo server pings every 500 ms (see the URL it will open).
  await page.getByLabel('Route').selectOption('reverse-proxy:nginx-idle-timeout');
  await withConnectOptions(page, (options) => options.getByLabel('Heartbeat (ms)').fill('500'));
  await expect(page.getByLabel('URL it will open')).toContainText('heartbeat=500');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();

  // 2. Wait twice the timeout: the connection is still open.
  await page.waitForTimeout(2 * TIMEOUT_MS);
  await expect(page.getByRole('option', { name: /nginx-idle-timeout open/ })).toBeVisible();
  expect(chromium.sockets[0]!.closed).toBe(false);

  // 3. The Hops tab shows why: pings from the echo server through the proxy, pongs back from the browser.
  await page.getByRole('tab', { name: 'Hops' }).click();
  const hops = page.getByRole('list', { name: 'Sequence of hops' });
  await expect(hops.getByRole('button', { name: /frames \(ping ×\d+\).*frames · reverse proxy → browser/ })).toBeVisible();
  await expect(hops.getByRole('button', { name: /frames \(pong ×\d+\).*frames · browser → reverse proxy/ })).toBeVisible();

  // 4. Close normally: clean, 1000.
  await page.getByLabel('Client close code').fill('1000');
  await page.getByLabel('Client close reason').fill('done');
  await page.getByRole('button', { name: 'Close from browser' }).click();
  await page.getByRole('tab', { name: 'Close' }).click();
  await expect(page.getByText('CloseEvent 1000 “done” wasClean true')).toBeVisible();

  // Cross-check with the transcript: pings every ~500 ms reached the browser, pongs came back, and the proxy never cut.
  const events = lab.store.read(sessionOf(page))!.connections[0]!.events;
  const frames = events.filter((e): e is FrameEvent => e.kind === 'frame');
  const pings = frames.filter((f) => f.opcode === 0x9 && f.to === 'browser');
  const pongs = frames.filter((f) => f.opcode === 0xa && f.from === 'browser');
  expect(pings.length).toBeGreaterThanOrEqual(4);
  // The last ping may still be on its way back when the browser closes.
  expect(pongs.length).toBeGreaterThanOrEqual(pings.length - 1);
  const gaps = pings.slice(1).map((p, i) => ms(p) - ms(pings[i]!));
  expect(Math.max(...gaps)).toBeLessThan(TIMEOUT_MS);
  expect(events.some((e) => e.kind === 'error' && e.code === 'PROXY_READ_TIMEOUT')).toBe(false);
  const opened = events.find((e) => e.kind === 'open')!;
  const closed = events.find((e) => e.kind === 'close' && e.observer === 'browser')!;
  expect(ms(closed) - ms(opened)).toBeGreaterThan(2 * TIMEOUT_MS);
  expect(closed).toMatchObject({ code: 1000, wasClean: true });

  // Cross-check with Chromium: the socket lived past the timeout and closed only when asked.
  await expect.poll(() => chromium.sockets[0]?.closedAt).toBeGreaterThan(0);
  expect(chromium.sockets[0]!.closedAt - chromium.sockets[0]!.createdAt).toBeGreaterThan(2 * TIMEOUT_MS);
});
