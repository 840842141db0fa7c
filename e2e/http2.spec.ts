import { chromium as playwrightChromium } from '@playwright/test';
import { diagnose } from '../server/src/diagnose/index.ts';
import { chromiumLaunchOptions } from './chromium.ts';
import { connect, expect, sessionOf, test, watchChromium } from './lesson-kit.ts';

// RFC 8441 in Chromium: with the page served over HTTP/2 by a server that advertises
// SETTINGS_ENABLE_CONNECT_PROTOCOL, a WebSocket to the same origin is an extended CONNECT
// stream on the page's connection — no Upgrade, no 101, no Sec-WebSocket-Key.

test('Chromium opens a WebSocket over HTTP/2 as an extended CONNECT, recorded as it arrived', async ({ lab }) => {
  const tls = lab.info().tls!;
  const browser = await playwrightChromium.launch(chromiumLaunchOptions([`--ignore-certificate-errors-spki-list=${tls.spki}`]));
  try {
    const page = await browser.newPage();
    const chromium = await watchChromium(page);
    await page.goto(`https://127.0.0.1:${lab.ports.h2}/`);
    expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol)).toBe('h2');
    await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
    const { conn, url } = await connect(page, { route: 'direct+h2' });
    expect(url.startsWith(`wss://127.0.0.1:${lab.ports.h2}/echo?`)).toBe(true);
    await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
    await page.getByLabel('Message text').fill('over one stream');
    await page.getByRole('button', { name: 'Send text' }).click();
    await expect.poll(() => chromium.sockets.flatMap((s) => s.received)).toContain('over one stream');
    const recorded = () => lab.store.read(sessionOf(page))!.connections.find((c) => c.id === conn)!;
    const request = recorded().events.find((e) => e.kind === 'request');
    expect(request?.kind).toBe('request');
    if (request?.kind !== 'request') return;
    expect(request.httpVersion).toBe('2');
    expect(request.h2?.streamId).toBeGreaterThan(0);
    const names = request.headers.map(([n]) => n);
    // Pseudo-headers first, in the order they arrived (RFC 9113 §8.3), then the regular fields.
    const firstRegular = names.findIndex((n) => !n.startsWith(':'));
    expect(names.slice(firstRegular).some((n) => n.startsWith(':'))).toBe(false);
    expect(Object.fromEntries(request.headers)).toMatchObject({ ':method': 'CONNECT', ':protocol': 'websocket', ':scheme': 'https', ':authority': `127.0.0.1:${lab.ports.h2}` });
    expect(names.map((n) => n.toLowerCase())).not.toContain('sec-websocket-key');
    expect(names.map((n) => n.toLowerCase())).not.toContain('upgrade');
    expect(names.map((n) => n.toLowerCase())).not.toContain('connection');
    // What Chromium says it sent arrived, lower-cased — but for what DevTools shows of an HTTP/1.1 handshake:
    // Chromium 150 reports Upgrade, Connection and Host for this stream, which HTTP/2 cannot carry
    // (RFC 9113 §8.2.2); the wire had :protocol and :authority instead. No Sec-WebSocket-Key either way.
    const sent = chromium.socket(conn).request ?? {};
    expect(Object.keys(sent)).not.toContain('Sec-WebSocket-Key');
    expect(sent).toMatchObject({ Upgrade: 'websocket', Connection: 'Upgrade' });
    for (const [name, value] of Object.entries(sent)) {
      if (['upgrade', 'connection', 'host'].includes(name.toLowerCase())) continue;
      expect(request.headers, `${name} as Chromium sent it`).toContainEqual([name.toLowerCase(), value]);
    }
    expect(chromium.socket(conn).response?.status, 'Chromium read :status 200, not 101').toBe(200);
    const response = recorded().events.find((e) => e.kind === 'response');
    expect(response?.kind === 'response' && response.status).toBe(200);
    const frames = recorded().events.filter((e) => e.kind === 'frame');
    expect(frames.map((f) => f.kind === 'frame' && [f.from, f.opcode])).toEqual([['browser', 1], ['echo', 1]]);
    // A clean HTTP/2 WebSocket gets no finding that claims a cause.
    expect(diagnose(recorded()).filter((f) => !['server-initiated-close'].includes(f.rule)).map((f) => f.rule)).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('without SETTINGS_ENABLE_CONNECT_PROTOCOL, Chromium opens the same-origin WebSocket on a new HTTP/1.1 connection', async ({ lab }) => {
  const tls = lab.info().tls!;
  const browser = await playwrightChromium.launch(chromiumLaunchOptions([`--ignore-certificate-errors-spki-list=${tls.spki}`]));
  try {
    const page = await browser.newPage();
    await page.goto(`https://127.0.0.1:${lab.ports.h2NoConnect}/`);
    expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol)).toBe('h2');
    await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
    const { conn, url } = await connect(page, { route: 'direct+h2' });
    expect(url.startsWith(`wss://127.0.0.1:${lab.ports.h2NoConnect}/echo?`)).toBe(true);
    await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
    const request = lab.store.read(sessionOf(page))!.connections.find((c) => c.id === conn)!.events.find((e) => e.kind === 'request');
    // The echo server received an ordinary HTTP/1.1 upgrade, key and all, on the HTTP/2 page's own port.
    expect(request?.kind === 'request' && [request.method, request.httpVersion, request.h2]).toEqual(['GET', '1.1', undefined]);
    const names = request?.kind === 'request' ? request.headers.map(([n]) => n.toLowerCase()) : [];
    expect(names).toEqual(expect.arrayContaining(['upgrade', 'connection', 'sec-websocket-key']));
  } finally {
    await browser.close();
  }
});
