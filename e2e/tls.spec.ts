import { chromium as playwrightChromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.ts';
import { connect, expect, sessionOf, test, watchChromium } from './lesson-kit.ts';

// wss:// in Chromium: with the lab's test certificate accepted by its SPKI hash (as the lab's
// startup says to), from the UI served over HTTPS; and without it, what Chromium and the lab say.

test('over HTTPS, Chromium opens wss:// to the echo server and through the reverse proxy terminating TLS', async ({ lab }) => {
  const tls = lab.info().tls;
  expect(tls, 'the e2e lab runs its TLS listeners').toBeDefined();
  const browser = await playwrightChromium.launch(chromiumLaunchOptions([`--ignore-certificate-errors-spki-list=${tls!.spki}`]));
  try {
    const page = await browser.newPage();
    const chromium = await watchChromium(page);
    await page.goto(`https://127.0.0.1:${lab.ports.uiTls}/`);
    await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
    for (const route of ['direct+wss', 'reverse-proxy+wss:nginx-forwarded']) {
      const { conn, url } = await connect(page, { route });
      expect(url).toMatch(/^wss:\/\//);
      await expect.poll(() => chromium.find(conn) && chromium.socket(conn).response?.status, { message: `${route}: Chromium read 101` }).toBe(101);
      await expect.poll(() => lab.store.read(sessionOf(page))?.connections.find((x) => x.id === conn)?.events.some((e) => e.kind === 'request' && e.observer === 'echo')).toBe(true);
      const recorded = lab.store.read(sessionOf(page))!.connections.find((x) => x.id === conn)!;
      expect(recorded.url).toBe(url);
      // What Chromium says it sent over TLS is what the first hop decrypted and read.
      const first = recorded.events.find((e) => e.kind === 'request' && e.from === 'browser');
      expect(first?.kind === 'request' && Object.fromEntries(first.headers)).toEqual(chromium.socket(conn).request);
      if (route.startsWith('reverse-proxy')) {
        const atEcho = recorded.events.find((e) => e.kind === 'request' && e.observer === 'echo');
        expect(atEcho?.kind === 'request' && atEcho.headers).toContainEqual(['X-Forwarded-Proto', 'https']);
      }
    }
  } finally {
    await browser.close();
  }
});

test('without the certificate accepted, Chromium fails wss:// with 1006 and ERR_CERT_AUTHORITY_INVALID, and the finding says why', async ({ labPage: page, lab }) => {
  const chromium = await watchChromium(page);
  const { conn, url } = await connect(page, { route: 'direct+wss' });
  await expect.poll(() => chromium.console).toContain(`WebSocket connection to '${url}' failed: Error in connection establishment: net::ERR_CERT_AUTHORITY_INVALID`);
  await expect
    .poll(() => {
      const c = lab.store.read(sessionOf(page))?.connections.find((x) => x.id === conn);
      return c?.events.find((e) => e.kind === 'close' && e.observer === 'browser');
    })
    .toMatchObject({ code: 1006, wasClean: false });
  await expect(page.getByRole('region', { name: 'Findings' })).toContainText('the TLS handshake did not complete');
  // What the echo server's TLS listener saw: Chromium's alert, filed under the terminal clients' session.
  await expect
    .poll(() => lab.store.read('default')?.connections.flatMap((c) => c.events).filter((e) => e.kind === 'error' && e.code === 'TLS_HANDSHAKE_FAILED').map((e) => e.kind === 'error' && e.message))
    .toContainEqual(expect.stringContaining('alert 46 (certificate unknown)'));
});
