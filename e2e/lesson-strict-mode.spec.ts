import {
  connect,
  expect,
  findings,
  recorded,
  requestSeenBy,
  responseSentBy,
  statusClosed,
  statusOpen,
  test,
  watchChromium,
  expectChromiumFailed,
} from './lesson-kit.ts';

// Lesson: strict mode. nginx's proxy_http_version defaults to 1.0, so the nginx-seed preset
// forwards the browser's upgrade as an HTTP/1.0 request. RFC 6455 §4.1 requires HTTP/1.1 or
// later for the opening handshake, and HTTP/1.0 has no Upgrade at all; ws upgrades it anyway.
// With strict=1 the echo server refuses it with 400 and says why. The lesson runs through the
// bundled reverse proxy and through real nginx, which must behave the same.

const ROUTES = [
  {
    route: 'reverse-proxy:nginx-seed',
    hop: 'reverse-proxy',
    // The bundled proxy records both of its legs, so the lab can name it as the hop that downgraded.
    lenient: 'The reverse proxy forwarded the upgrade as HTTP/1.0; the echo server upgraded it anyway, but RFC 6455 §4.1 requires HTTP/1.1.',
    strict: 'The reverse proxy forwarded the upgrade as HTTP/1.0, so the strict echo server answered 400 and the browser reports 1006.',
  },
  {
    route: 'nginx:nginx-seed',
    // Real nginx behind the lab's tap: what it received and what reached the echo server, so the same finding names it.
    hop: 'nginx',
    lenient: 'nginx forwarded the upgrade as HTTP/1.0; the echo server upgraded it anyway, but RFC 6455 §4.1 requires HTTP/1.1.',
    strict: 'nginx forwarded the upgrade as HTTP/1.0, so the strict echo server answered 400 and the browser reports 1006.',
  },
] as const;

test.describe('strict mode: an HTTP/1.0 upgrade', () => {
  for (const { route, hop, lenient: lenientFinding, strict: strictFinding } of ROUTES) {
    test(`${route}: lenient by default, refused with 400 under strict=1`, async ({ labPage: page, lab }) => {
      const chromium = await watchChromium(page);

      // Without strict: the HTTP/1.0 upgrade works, and the lab says it only works because ws is lenient.
      const lenient = await connect(page, { route, strict: false });
      await expect(statusOpen(page, lenient.conn)).toBeVisible();
      await page.getByRole('tab', { name: 'Handshake' }).click();
      await expect(page.getByRole('region', { name: 'Observed by echo server' }).getByLabel('request as seen by echo')).toContainText('HTTP/1.0');
      if (lenientFinding) await expect(findings(page)).toContainText(lenientFinding);
      else await expect(page.getByRole('region', { name: 'Negotiated in the handshake' })).toContainText('as the echo server saw them');
      expect(requestSeenBy(recorded(lab, page, lenient.conn), 'echo')!.httpVersion).toBe('1.0');
      await page.getByRole('button', { name: 'Close from browser' }).click();
      await expect(statusClosed(page, lenient.conn, 1000, true)).toBeVisible();

      // With strict=1: 400 from the echo server, relayed by the proxy; the browser reports 1006.
      const { conn, url } = await connect(page, { route, strict: true });
      expect(url).toContain('strict=1');
      await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
      await expect(findings(page)).toContainText(strictFinding);
      const echo = page.getByRole('region', { name: 'Observed by echo server' });
      await expect(echo.getByLabel('request as seen by echo')).toContainText('HTTP/1.0');
      await expect(echo.getByLabel('response as seen by echo')).toContainText(
        'strict: an HTTP/1.0 request cannot upgrade; RFC 6455 §4.1 requires HTTP/1.1 or higher',
      );

      // Chromium read a 400 (from the proxy, which relayed it) and failed the handshake.
      const why = 'Error during WebSocket handshake: Unexpected response code: 400';
      await expectChromiumFailed(lab, page, chromium, conn, url, why);
      const connection = recorded(lab, page, conn);
      expect(requestSeenBy(connection, 'echo')!.httpVersion).toBe('1.0');
      expect(responseSentBy(connection, 'echo')!.status).toBe(400);
      if (hop) {
        expect(requestSeenBy(connection, hop)!.httpVersion).toBe('1.1');
        expect(responseSentBy(connection, hop)!.status).toBe(400);
      }
    });
  }
});
