import type { Page } from '@playwright/test';
import type { Lab } from '../../server/src/lab.ts';
import { headerValue } from '../../server/src/shared/headers.ts';
import { expect, sessionOf } from '../fixtures.ts';
import { browserClose, connect, failedLine, findings, recorded, requestSeenBy, statusClosed, statusOpen, watchChromium } from '../lesson-kit.ts';
import type { ExtraChecks } from '../lesson-runner.ts';

// The lesson shows the port $host drops; this shows the 403 it causes. An app serves its page and
// its socket from one origin, so here the lab's page is served at the socket's own origin: the
// same-host check passes directly, and fails behind nginx-forwarded — the bundled preset and real nginx.

const ORIGIN_403 = 'Error during WebSocket handshake: Unexpected response code: 403';

/**
 * The lab UI, in a new page of the same browser, served at `origin`. Every HTTP request of that
 * page is sent on to the lab's UI port; WebSockets are not routed and reach the real hop. The
 * responses still come from loopback, so Chromium's Local Network Access checks treat the page as
 * local, as they would a real app on 127.0.0.1 (a page fulfilled by the test itself counts as
 * public, and its WebSockets to 127.0.0.1 fail with net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
 */
async function labServedAt(labPage: Page, lab: Lab, origin: string): Promise<Page> {
  const page = await labPage.context().newPage();
  await page.route(`${origin}/**`, (route) => {
    const url = new URL(route.request().url());
    return route.continue({ url: `http://127.0.0.1:${lab.ports.ui}${url.pathname}${url.search}` });
  });
  await page.goto(`${origin}/?session=${sessionOf(labPage)}`);
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
  return page;
}

async function sameHostBehindTheProxy(labPage: Page, lab: Lab): Promise<void> {
  const { echo, proxy, nginx } = lab.ports;

  // Directly: the page and its socket share the echo server's origin, so Origin and Host agree.
  const app = await labServedAt(labPage, lab, `http://127.0.0.1:${echo}`);
  const chromium = await watchChromium(app);
  const direct = await connect(app, { route: 'direct', origin: 'same-host' });
  await expect(statusOpen(app, direct.conn)).toBeVisible();
  const request = requestSeenBy(recorded(lab, app, direct.conn), 'echo')!;
  expect(headerValue(request.headers, 'origin')).toBe(`http://127.0.0.1:${echo}`);
  expect(headerValue(request.headers, 'host')).toBe(`127.0.0.1:${echo}`);
  expect(chromium.socket(direct.conn).request?.['Origin']).toBe(`http://127.0.0.1:${echo}`);
  await app.getByRole('button', { name: 'Close from browser' }).click();
  await expect(statusClosed(app, direct.conn, 1000, true)).toBeVisible();
  await app.close();

  // Behind the bundled reverse proxy's nginx-forwarded preset, the page at the proxy's origin: 403.
  const proxied = await labServedAt(labPage, lab, `http://127.0.0.1:${proxy}`);
  const chromiumProxied = await watchChromium(proxied);
  const behind = await connect(proxied, { route: 'reverse-proxy:nginx-forwarded', origin: 'same-host' });
  await expect(statusClosed(proxied, behind.conn, 1006, false)).toBeVisible();
  await expect(findings(proxied)).toContainText(
    `The reverse proxy rewrote Host from 127.0.0.1:${proxy} to 127.0.0.1, so Origin http://127.0.0.1:${proxy} failed the echo server's same-host check: ` +
      '403, and the browser reports 1006.',
  );
  await expect(findings(proxied)).toContainText('proxy_set_header Host $http_host;');
  await proxied.getByRole('tab', { name: 'Handshake' }).click();
  const atProxy = proxied.getByRole('region', { name: 'Observed by reverse proxy' }).getByLabel('request as seen by reverse-proxy');
  await expect(atProxy.first()).toContainText(`Host: 127.0.0.1:${proxy}`);
  await expect(atProxy.last()).toContainText(/Host: 127\.0\.0\.1\n/);
  await expect(proxied.getByLabel('response as seen by echo')).toContainText(`request origin not allowed: http://127.0.0.1:${proxy} is not the same host as 'Host: 127.0.0.1'`);
  expect(chromiumProxied.console).toContain(failedLine(behind.url, ORIGIN_403));
  expect(chromiumProxied.socket(behind.conn).errors).toEqual([ORIGIN_403]);
  expect(chromiumProxied.socket(behind.conn).request?.['Origin']).toBe(`http://127.0.0.1:${proxy}`);
  expect(await browserClose(lab, proxied, behind.conn)).toMatchObject({ code: 1006, wasClean: false });
  await proxied.close();

  // Real nginx with the same location block does the same, and the lab's tap in front of it sees the Host it was sent.
  if (!lab.info().nginx.available) return; // lessons.spec fails a CI run without nginx before it gets here
  const real = await labServedAt(labPage, lab, `http://127.0.0.1:${nginx}`);
  const chromiumReal = await watchChromium(real);
  const viaNginx = await connect(real, { route: 'nginx:nginx-forwarded', origin: 'same-host' });
  await expect(statusClosed(real, viaNginx.conn, 1006, false)).toBeVisible();
  await expect(findings(real)).toContainText(
    `nginx rewrote Host from 127.0.0.1:${nginx} to 127.0.0.1, so Origin http://127.0.0.1:${nginx} failed the echo server's same-host check: ` +
      '403, and the browser reports 1006.',
  );
  expect(headerValue(requestSeenBy(recorded(lab, real, viaNginx.conn), 'nginx')!.headers, 'host')).toBe(`127.0.0.1:${nginx}`);
  expect(headerValue(requestSeenBy(recorded(lab, real, viaNginx.conn), 'echo')!.headers, 'host')).toBe('127.0.0.1');
  expect(chromiumReal.console).toContain(failedLine(viaNginx.url, ORIGIN_403));
  await real.close();
}

export const originBehindHost: ExtraChecks = {
  'not-listed': async ({ page }) => {
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const response = page.getByLabel('response as seen by echo');
    await expect(response).toContainText('HTTP/1.1 403 Forbidden');
    await expect(response).toContainText(`request origin not allowed: ${new URL(page.url()).origin} is not one of http://example.test`);
  },
  'host-without-port': ({ page, lab }) => sameHostBehindTheProxy(page, lab),
};
