import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.ts';
import { expect, expectNoCauseOnCleanConnections, sessionOf, test } from './fixtures.ts';
import { connect, findings, recorded, statusOpen, watchChromium, type ChromiumWatch } from './lesson-kit.ts';
import type { Lab } from '../server/src/lab.ts';

// Lesson: a page cannot choose a proxy. Choosing "Forward proxy" only builds the echo server's
// URL; whether a CONNECT reaches the lab's forward proxy is up to the browser's own proxy
// settings. Without them, Chromium dials the echo server directly, and the lab says so (with
// the flags that fix it). With them, the CONNECT, its reply and the handshake inside the
// tunnel are shown for what each is.

/** Sends one message, hears it back (as Chromium reports it), and closes from the browser with 1000. */
async function echoAndClose(page: Page, chromiumSaw: ChromiumWatch, conn: string): Promise<void> {
  await expect(statusOpen(page, conn)).toBeVisible();
  await page.getByLabel('Message text').fill('where did I go?');
  await page.getByRole('button', { name: 'Send text' }).click();
  await expect.poll(() => chromiumSaw.find(conn)?.received ?? []).toContain('where did I go?');
  await page.getByRole('button', { name: 'Close from browser' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${conn} closed with code 1000` })).toBeVisible();
}

const routeBadge = (page: Page) => page.locator('.conn-header').getByTitle('The route the wire showed');

test('the forward proxy chosen in a browser without proxy settings: a direct connection, said plainly, with the fix', async ({ labPage: page, lab }) => {
  const chromiumSaw = await watchChromium(page);
  const { conn } = await connect(page, { route: 'forward-proxy' });
  await echoAndClose(page, chromiumSaw, conn);

  await expect(routeBadge(page)).toHaveText('direct (forward proxy was chosen, but no CONNECT arrived)');
  await expect(page.getByRole('listbox', { name: 'Connections' }).getByRole('option', { name: new RegExp(conn) })).toContainText('forward proxy was chosen, but no CONNECT arrived');
  await expect(findings(page)).toContainText('The forward proxy was chosen, but no CONNECT arrived: the browser opened a direct connection to the echo server instead.');
  const flags = `--proxy-server=http://127.0.0.1:${lab.ports.forwardProxy} --proxy-bypass-list='<-loopback>;127.0.0.1:${lab.ports.ui}'`;
  await expect(findings(page)).toContainText(flags);

  const connection = recorded(lab, page, conn);
  expect(connection).toMatchObject({ route: 'direct', chosenRoute: 'forward-proxy' });
  expect(connection.events.some((e) => e.observer === 'forward-proxy')).toBe(false);
  expect(connection.events.filter((e) => e.observer === 'browser').map((e) => e.from)).toEqual(['echo', 'echo']);
});

/** Chromium told to use the lab's forward proxy for every loopback port but the lab's page, as the finding says. */
async function proxiedBrowser(lab: Lab): Promise<Browser> {
  const proxy = `127.0.0.1:${lab.ports.forwardProxy}`;
  return chromium.launch(chromiumLaunchOptions([`--proxy-server=http://${proxy}`, `--proxy-bypass-list=<-loopback>;127.0.0.1:${lab.ports.ui}`]));
}

test('with proxy settings: the CONNECT, its reply with no headers, and the real 101 inside the tunnel', async ({ lab }) => {
  const browser = await proxiedBrowser(lab);
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${lab.ports.ui}/`);
    const chromiumSaw = await watchChromium(page);
    const { conn } = await connect(page, { route: 'forward-proxy' });
    await echoAndClose(page, chromiumSaw, conn);
    await expect(routeBadge(page)).toHaveText('forward-proxy');
    const connection = recorded(lab, page, conn);
    expect(connection).toMatchObject({ route: 'forward-proxy', chosenRoute: 'forward-proxy' });
    expect(connection.events.find((e) => e.kind === 'response' && e.status === 200)).toMatchObject({ observer: 'forward-proxy', headers: [] });

    // Handshake: the CONNECT and its reply, then the request inside the tunnel and its real 101.
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const negotiation = page.getByRole('region', { name: 'Negotiated in the handshake' });
    await expect(negotiation).toBeVisible();
    await expect(negotiation).not.toContainText('no 101');
    await expect(negotiation.getByRole('group', { name: 'Extensions' })).toContainText('permessage-deflate');
    const byProxy = page.getByRole('region', { name: 'Observed by forward proxy' });
    await expect(byProxy.getByText('reply to the CONNECT', { exact: false }).first()).toContainText('forward-proxy → browser · reply to the CONNECT');
    await expect(byProxy.getByText('a status line and no headers')).toBeVisible();
    await expect(byProxy.getByRole('group', { name: 'response as seen by forward-proxy' }).last()).toContainText('HTTP/1.1 101 Switching Protocols');
    await expect(byProxy.getByRole('group', { name: 'Sec-WebSocket-Accept check' })).toContainText('✓ match');

    // Hops: no header "changed" on a reply that has none.
    await page.getByRole('tab', { name: 'Hops' }).click();
    const arrows = page.getByRole('list', { name: 'Sequence of hops' });
    const reply = arrows.getByRole('button', { name: /200 Connection established/ });
    await expect(reply).toBeVisible();
    await expect(reply).not.toContainText('changed');
    await reply.click();
    await expect(page.getByRole('region', { name: 'Hop detail' })).toContainText("The forward proxy's reply to the CONNECT: a status line and no headers.");
    await expect(page.getByRole('table', { name: 'Header changes' })).toHaveCount(0);
    await expectNoCauseOnCleanConnections(lab, sessionOf(page));
  } finally {
    await browser.close();
  }
});

test('with proxy settings, a reverse-proxy route goes through the forward proxy first, and says so', async ({ lab }) => {
  const browser = await proxiedBrowser(lab);
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${lab.ports.ui}/`);
    const chromiumSaw = await watchChromium(page);
    const { conn } = await connect(page, { route: 'reverse-proxy:nginx-websocket' });
    await echoAndClose(page, chromiumSaw, conn);
    await expect(routeBadge(page)).toHaveText('forward-proxy → reverse-proxy · nginx-websocket (reverse proxy was chosen, but the browser sent a CONNECT)');
    await expect(findings(page)).toContainText(`The reverse proxy was chosen, but the browser sent a CONNECT 127.0.0.1:${lab.ports.proxy} to the forward proxy first.`);
    const connection = recorded(lab, page, conn);
    expect(connection).toMatchObject({ route: 'forward-proxy', chosenRoute: 'reverse-proxy', preset: 'nginx-websocket' });
    expect(connection.events.filter((e) => e.kind === 'request').map((e) => `${e.observer}: ${e.from} → ${e.to}`)).toEqual([
      'forward-proxy: browser → reverse-proxy',
      'reverse-proxy: forward-proxy → reverse-proxy',
      'reverse-proxy: reverse-proxy → echo',
      'echo: reverse-proxy → echo',
    ]);
    await expectNoCauseOnCleanConnections(lab, sessionOf(page));
  } finally {
    await browser.close();
  }
});
