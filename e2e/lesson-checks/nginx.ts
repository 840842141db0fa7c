import type { Locator, Page } from '@playwright/test';
import { requestsOf, responsesOf } from '../../web/src/lessons/evaluate.ts';
import { expect } from '../fixtures.ts';
import type { ExtraChecks } from '../lesson-runner.ts';
import { closeEventShown } from './basics.ts';

const hops = (page: Page) => page.getByRole('list', { name: 'Sequence of hops' });
const detail = (page: Page) => page.getByRole('region', { name: 'Hop detail' });
/** A row of the selected hop's header changes, by header name. */
const changeRow = (page: Page, name: string): Locator =>
  detail(page).getByRole('table', { name: 'Header changes' }).getByRole('row', { name: new RegExp(`^${name} `) });

export const nginxWebsocket: ExtraChecks = {
  connect: async ({ page }) => {
    await expect(page.getByText(/^nginx-websocket: /)).toBeVisible();
    const config = page.getByLabel('nginx configuration for nginx-websocket');
    for (const line of ['proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";']) await expect(config).toContainText(line);
  },
  'hop-by-hop': async ({ page, recorded, lab }) => {
    await expect(detail(page).getByLabel('request as seen by reverse-proxy')).toContainText(/^GET \/nginx-websocket\/echo\?\S+ HTTP\/1\.1/);
    await expect(detail(page).getByRole('table', { name: 'Header changes' })).toContainText('What the reverse proxy changed');
    for (const text of ['Upgrade', 'upgrade', 're-created by the proxy', 'hop-by-hop']) await expect(changeRow(page, 'Connection')).toContainText(text);
    for (const text of ['re-created by the proxy', 'hop-by-hop']) await expect(changeRow(page, 'Upgrade')).toContainText(text);
    await expect(changeRow(page, 'Host')).toContainText(`127.0.0.1:${lab.ports.proxy}`);
    await expect(changeRow(page, 'Host')).toContainText(`127.0.0.1:${lab.ports.echo}`);
    await expect(changeRow(page, 'Host')).toContainText('value changed');
    await expect(changeRow(page, 'Host')).not.toContainText('hop-by-hop');
    await expect(changeRow(page, 'Sec-WebSocket-Key')).toContainText('unchanged');
    // The proxy's own Upgrade and Connection come first, then the upstream's Host, as nginx writes them.
    const upstream = requestsOf(recorded(), { from: 'reverse-proxy', to: 'echo', seenBy: 'reverse-proxy' })[0]!;
    expect(upstream.headers.slice(0, 3)).toEqual([
      ['Upgrade', 'websocket'],
      ['Connection', 'upgrade'],
      ['Host', `127.0.0.1:${lab.ports.echo}`],
    ]);
  },
  'nothing-between': async ({ page }) => {
    await expect(detail(page).getByRole('table', { name: 'Header changes' })).toContainText('no differences');
  },
  frames: async ({ page }) => {
    await page.getByRole('tab', { name: 'Hops' }).click();
    await expect(hops(page).getByRole('button', { name: /request · browser → reverse proxy · seen by the reverse proxy/ })).toBeVisible();
    await expect(hops(page).getByRole('button', { name: /^101 Switching Protocols.*response · reverse proxy → browser/ })).toBeVisible();
    await expect(hops(page).getByRole('button', { name: /frames? \(text.*frames · browser → reverse proxy/ })).toBeVisible();
  },
};

export const nginxDefault: ExtraChecks = {
  connect: async ({ page, conn }) => {
    const config = page.getByLabel('nginx configuration for nginx-default');
    await expect(config).toContainText('proxy_pass http://');
    await expect(config).not.toContainText('proxy_set_header');
    await expect(page.getByRole('status').filter({ hasText: `${conn()} closed with code 1006` })).toContainText('wasClean false');
    await expect(page.getByRole('option', { name: /reverse-proxy · nginx-default closed 1006/ })).toBeVisible();
    // The echo server's refusal, as the proxy relayed it to the browser.
    await expect(detail(page).getByLabel('response as seen by reverse-proxy')).toContainText('HTTP/1.1 426 Upgrade Required');
    await expect(detail(page).getByLabel('response as seen by reverse-proxy')).toContainText("missing 'Upgrade' header");
  },
  'upgrade-lost': async ({ page }) => {
    await expect(detail(page).getByLabel('request as seen by reverse-proxy')).toContainText(/^GET \/nginx-default\/echo\?\S+ HTTP\/1\.0/);
    for (const text of ['websocket', '(absent)', 'removed', 'hop-by-hop']) await expect(changeRow(page, 'Upgrade')).toContainText(text);
    for (const text of ['Upgrade', 'close', 're-created by the proxy, value changed']) await expect(changeRow(page, 'Connection')).toContainText(text);
  },
  why: async (ctx) => {
    const { page, recorded } = ctx;
    await expect(hops(page).getByRole('button', { name: /^426 Upgrade Required.*response · echo server → reverse proxy · seen by the echo server/ })).toBeVisible();
    await expect(hops(page).getByRole('button', { name: /^426 Upgrade Required.*response · reverse proxy → browser/ })).toBeVisible();
    await expect(hops(page).getByRole('button', { name: /frames ·/ })).toHaveCount(0);
    // Refused by the echo server, relayed by the proxy: three observations of one 426.
    expect(responsesOf(recorded()).map((r) => [r.observer, r.from, r.to, r.status])).toEqual([
      ['echo', 'echo', 'reverse-proxy', 426],
      ['reverse-proxy', 'echo', 'reverse-proxy', 426],
      ['reverse-proxy', 'reverse-proxy', 'browser', 426],
    ]);
    await closeEventShown(ctx, 'CloseEvent 1006 “” wasClean false');
  },
};

export const nginxMissingConnection: ExtraChecks = {
  'the-words': async ({ page }) => {
    await expect(detail(page).getByLabel('response as seen by echo')).toContainText("'upgrade' token not found in 'Connection' header");
  },
};

export const directVsProxy: ExtraChecks = {
  read: async ({ page, chromium, conn, recorded }) => {
    const compare = page.getByRole('region', { name: 'Compare' });
    const table = compare.getByRole('table', { name: 'Side by side' });
    const row = (name: string) => table.getByRole('row', { name: new RegExp(`^${name}`) });
    const cells = (name: string) => row(name).getByRole('cell');
    await expect(cells('Browser close').nth(0)).toHaveText('CloseEvent 1000 “compare” wasClean true');
    await expect(cells('Browser close').nth(1)).toHaveText('CloseEvent 1006 “” wasClean false');
    await expect(cells('Outcome').nth(0)).toHaveText('open (101 Switching Protocols)');
    await expect(cells('Outcome').nth(1)).toHaveText('refused with 426 Upgrade Required');
    await expect(row('Outcome')).toContainText('differs');
    await expect(cells('Request line at the echo server').nth(0)).toHaveText('GET /echo?… HTTP/1.1');
    await expect(cells('Request line at the echo server').nth(1)).toHaveText('GET /nginx-default/echo?… HTTP/1.0');
    await expect(cells('Response the browser got').nth(0)).toContainText('HTTP/1.1 101 Switching Protocols');
    await expect(cells('Response the browser got').nth(1)).toContainText('HTTP/1.1 426 Upgrade Required');
    await expect(cells('Frames').nth(0)).toContainText('browser → echo server: text same message, two routes');
    await expect(cells('Frames').nth(0)).toContainText('echo server → browser: text same message, two routes');
    await expect(cells('Frames').nth(1)).toHaveText('no frames');
    const headers = compare.getByRole('table', { name: 'Headers the echo server received' });
    const header = (name: string) => headers.getByRole('row', { name: new RegExp(`^${name} `) });
    await expect(header('Upgrade')).toContainText('only left');
    await expect(header('Upgrade')).toContainText('hop-by-hop');
    await expect(header('Connection').getByRole('cell').nth(0)).toHaveText('Upgrade');
    await expect(header('Connection').getByRole('cell').nth(1)).toHaveText('close');
    await expect(header('Host')).toContainText('unchanged');
    await expect(header('Sec-WebSocket-Key')).toContainText('new for every connection');
    // The pickers name the connections the run opened, and the columns say which is which.
    const [left, right] = [conn('direct'), conn('proxied')];
    await expect(compare.getByLabel('Left connection')).toHaveValue(left);
    await expect(compare.getByLabel('Right connection')).toHaveValue(right);
    await expect(table.getByRole('columnheader', { name: `Left: ${left} (direct)` })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: `Right: ${right} (reverse-proxy · nginx-default)` })).toBeVisible();
    expect(recorded('direct')).toMatchObject({ route: 'direct' });
    expect(recorded('proxied')).toMatchObject({ route: 'reverse-proxy', preset: 'nginx-default' });
    expect(chromium.socket(left).received).toEqual(['same message, two routes']);
    expect(chromium.socket(right).received).toEqual([]);
    // Or pick any two: swap the sides with the pickers, and the columns follow.
    await compare.getByLabel('Left connection').selectOption(right);
    await compare.getByLabel('Right connection').selectOption(left);
    await expect(cells('Outcome').nth(0)).toHaveText('refused with 426 Upgrade Required');
    await expect(header('Upgrade')).toContainText('only right');
  },
};
