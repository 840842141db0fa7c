import type { Page } from '@playwright/test';
import type { Lab } from '../server/src/lab.ts';
import {
  browserClose,
  connect,
  expect,
  failedLine,
  findings,
  recorded,
  requestSeenBy,
  responseSentBy,
  sessionOf,
  statusClosed,
  statusOpen,
  test,
  watchChromium,
} from './lesson-kit.ts';
import { headerValue } from '../server/src/wire/http-head.ts';

// Lesson: the Origin check. WebSockets are not covered by CORS: the browser sends Origin with
// every handshake and leaves the decision to the server (RFC 6455 §10.2). The echo server's
// origin= parameter sets its policy; a refusal is a 403, and the page learns only 1006.
//
// Then the classic proxy trap: an app that serves its page and its socket from one origin
// checks "same host" by comparing Origin with Host. Directly that passes. Behind nginx with
// `proxy_set_header Host $host` it fails, because $host has no port while the Origin keeps it.

const ORIGIN_403 = 'Error during WebSocket handshake: Unexpected response code: 403';

test.describe('origin check', () => {
  test('an origin not on the list is refused with 403; the page sees 1006', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const pageOrigin = new URL(page.url()).origin;

    const { conn, url } = await connect(page, { origin: 'http://example.test' });
    await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const response = page.getByLabel('response as seen by echo');
    await expect(response).toContainText('HTTP/1.1 403 Forbidden');
    await expect(response).toContainText(`request origin not allowed: ${pageOrigin} is not one of http://example.test`);
    await expect(findings(page)).toContainText(
      `The echo server answered 403 Forbidden because Origin ${pageOrigin} is not in the allowed list (http://example.test), and the browser reports 1006.`,
    );
    expect(chromium.console).toContain(failedLine(url, ORIGIN_403));
    expect(chromium.socket(conn).errors).toEqual([ORIGIN_403]);
    expect(chromium.socket(conn).request?.['Origin']).toBe(pageOrigin);
    expect(await browserClose(lab, page, conn)).toMatchObject({ code: 1006, wasClean: false });
    expect(headerValue(requestSeenBy(recorded(lab, page, conn), 'echo')!.headers, 'origin')).toBe(pageOrigin);

    // The page's own origin on the list: the same request upgrades.
    const allowed = await connect(page, { origin: `http://example.test,${pageOrigin}` });
    await expect(statusOpen(page, allowed.conn)).toBeVisible();
    expect(responseSentBy(recorded(lab, page, allowed.conn), 'echo')!.status).toBe(101);
  });

  test('same-host from the lab page: the page is on another port, so another origin', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const pageOrigin = new URL(page.url()).origin;
    const echoHost = `127.0.0.1:${lab.ports.echo}`;

    const { conn, url } = await connect(page, { origin: 'same-host' });
    await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
    await expect(findings(page)).toContainText(
      `The echo server answered 403 Forbidden because Origin ${pageOrigin} is not the same host as Host: ${echoHost}, and the browser reports 1006.`,
    );
    await expect(findings(page)).toContainText('An origin includes the port, so a page served on another port is another origin.');
    expect(chromium.console).toContain(failedLine(url, ORIGIN_403));
  });

  test('same-host passes directly and fails behind nginx-forwarded: `Host $host` dropped the port', async ({ labPage: page, lab }) => {
    const { echo, proxy, nginx } = lab.ports;

    // Directly: the page and its socket share the echo server's origin, so Origin and Host agree.
    const app = await labServedAt(page, lab, `http://127.0.0.1:${echo}`);
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
    const proxied = await labServedAt(page, lab, `http://127.0.0.1:${proxy}`);
    const chromiumProxied = await watchChromium(proxied);
    const behind = await connect(proxied, { route: 'reverse-proxy:nginx-forwarded', origin: 'same-host' });
    await expect(statusClosed(proxied, behind.conn, 1006, false)).toBeVisible();
    await expect(findings(proxied)).toContainText(
      `The reverse proxy rewrote Host from 127.0.0.1:${proxy} to 127.0.0.1, so Origin http://127.0.0.1:${proxy} failed the echo server's same-host check: ` +
        '403, and the browser reports 1006.',
    );
    await expect(findings(proxied)).toContainText('proxy_set_header Host $http_host;');
    // The Host the browser sent, the Host the proxy forwarded, and the echo server's refusal.
    await proxied.getByRole('tab', { name: 'Handshake' }).click();
    const atProxy = proxied.getByRole('region', { name: 'Observed by reverse proxy' }).getByLabel('request as seen by reverse-proxy');
    await expect(atProxy.first()).toContainText(`Host: 127.0.0.1:${proxy}`);
    await expect(atProxy.last()).toContainText(/Host: 127\.0\.0\.1\n/);
    await expect(proxied.getByLabel('response as seen by echo')).toContainText(
      `request origin not allowed: http://127.0.0.1:${proxy} is not the same host as 'Host: 127.0.0.1'`,
    );
    expect(chromiumProxied.console).toContain(failedLine(behind.url, ORIGIN_403));
    expect(chromiumProxied.socket(behind.conn).errors).toEqual([ORIGIN_403]);
    expect(chromiumProxied.socket(behind.conn).request?.['Origin']).toBe(`http://127.0.0.1:${proxy}`);
    expect(await browserClose(lab, proxied, behind.conn)).toMatchObject({ code: 1006, wasClean: false });
    const legs = recorded(lab, proxied, behind.conn);
    expect(headerValue(requestSeenBy(legs, 'reverse-proxy')!.headers, 'host')).toBe(`127.0.0.1:${proxy}`);
    expect(headerValue(requestSeenBy(legs, 'echo')!.headers, 'host')).toBe('127.0.0.1');
    await proxied.close();

    // Real nginx with the same location block does the same, and the lab's tap in front of it sees the Host it was sent.
    const real = await labServedAt(page, lab, `http://127.0.0.1:${nginx}`);
    const chromiumReal = await watchChromium(real);
    const viaNginx = await connect(real, { route: 'nginx:nginx-forwarded', origin: 'same-host' });
    await expect(statusClosed(real, viaNginx.conn, 1006, false)).toBeVisible();
    await expect(findings(real)).toContainText(
      `nginx rewrote Host from 127.0.0.1:${nginx} to 127.0.0.1, so Origin http://127.0.0.1:${nginx} failed the echo server's same-host check: ` +
        '403, and the browser reports 1006.',
    );
    expect(headerValue(requestSeenBy(recorded(lab, real, viaNginx.conn), 'nginx')!.headers, 'host')).toBe(`127.0.0.1:${nginx}`);
    expect(chromiumReal.console).toContain(failedLine(viaNginx.url, ORIGIN_403));
    expect(headerValue(requestSeenBy(recorded(lab, real, viaNginx.conn), 'echo')!.headers, 'host')).toBe('127.0.0.1');
  });
});

/**
 * The lab UI, in a new page of the same browser, served at `origin`: the origin of the
 * socket the lesson opens, as an app serves its page and its socket from one place. Every
 * HTTP request of that page (HTML, scripts, API, live stream) is sent on to the lab's UI
 * port; WebSockets are not routed and reach the real hop. The responses still come from
 * loopback, so Chromium's Local Network Access checks treat the page as local, as they would
 * a real app on 127.0.0.1 (a page fulfilled by the test itself counts as public, and its
 * WebSockets to 127.0.0.1 fail with net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
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
