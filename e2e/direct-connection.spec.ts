import { echoThenClose, expect, openServerActions, sessionOf, test, watchChromium } from './lesson-kit.ts';
import type { FrameEvent, RequestEvent } from '../server/src/transcript/types.ts';

// Lesson: a direct connection. The browser upgrades straight to the echo server, says its
// name, hears it back, and closes with 4000 "done". The lab's record is checked against
// what Chromium itself reports.

test('direct connection: upgrade, echo, close 4000 — and the lab agrees with Chromium', async ({ labPage: page, lab, cdpHandshakes }) => {
  const chromium = await watchChromium(page);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await echoThenClose(page, chromium, 'My name is LiuYue', 4000, 'done');
  const { sent, received } = chromium.sockets[0]!;

  // The user sees the handshake as the echo server received it, and the Accept check.
  await page.getByRole('tab', { name: 'Handshake' }).click();
  await expect(page.getByLabel('Sec-WebSocket-Accept check').first()).toContainText('✓ match');

  // Cross-check 1: the headers the echo server recorded are the ones Chromium says it sent.
  const session = sessionOf(page);
  const connection = lab.store.read(session)!.connections[0]!;
  const request = connection.events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === 'echo')!;
  expect(cdpHandshakes).toHaveLength(1);
  const cdp = cdpHandshakes[0]!;
  expect(cdp.url).toBe(connection.url);
  expect(Object.fromEntries(request.headers)).toEqual(cdp.headers);

  // Cross-check 2: the frames the lab decoded carry the payloads Chromium sent and received,
  // masked from the browser and unmasked from the server (RFC 6455 §5.1).
  await expect.poll(() => lab.store.read(session)!.connections[0]!.events.filter((e) => e.kind === 'frame').length).toBeGreaterThanOrEqual(4);
  const frames = lab.store.read(session)!.connections[0]!.events.filter((e): e is FrameEvent => e.kind === 'frame');
  const text = (f: FrameEvent) => Buffer.from(f.payload, 'base64').toString('utf8');
  const toEcho = frames.filter((f) => f.from === 'browser' && f.opcode === 1);
  const toBrowser = frames.filter((f) => f.to === 'browser' && f.opcode === 1);
  expect(toEcho.map(text)).toEqual(sent);
  expect(toBrowser.map(text)).toEqual(received);
  expect(toEcho.every((f) => f.masked && f.maskKey?.length === 8)).toBe(true);
  expect(toBrowser.every((f) => !f.masked && f.maskKey === undefined)).toBe(true);
  const closes = frames.filter((f) => f.opcode === 8);
  expect(closes.map((f) => [f.from, f.close?.code, f.close?.reason])).toEqual([
    ['browser', 4000, 'done'],
    ['echo', 4000, 'done'],
  ]);
});

test('server close 4001 is clean; terminate is 1006 and not clean', async ({ labPage: page }) => {
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
  await openServerActions(page);
  await page.getByLabel('Server close code').fill('4001');
  await page.getByLabel('Server close reason').fill('from the server');
  await page.getByRole('button', { name: 'Server close' }).click();
  await page.getByRole('tab', { name: 'Close' }).click();
  await expect(page.getByText('CloseEvent 4001 “from the server” wasClean true')).toBeVisible();

  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
  await page.getByRole('button', { name: 'Terminate (no close frame)' }).click();
  await page.getByRole('tab', { name: 'Close' }).click();
  await expect(page.getByText('CloseEvent 1006 “” wasClean false')).toBeVisible();
});
