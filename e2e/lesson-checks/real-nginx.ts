import type { Page } from '@playwright/test';
import { expect } from '../fixtures.ts';
import type { ExtraChecks } from '../lesson-runner.ts';

/** The Compare view's verdict, the same on both sides, and no difference at the echo server but the key. */
async function sameOutcome(page: Page, outcome: string, close: string): Promise<void> {
  const compare = page.getByRole('region', { name: 'Compare' });
  const table = compare.getByRole('table', { name: 'Side by side' });
  const row = (name: string) => table.getByRole('row', { name: new RegExp(`^${name}`) });
  await expect(row('Outcome').getByRole('cell')).toHaveText([outcome, outcome]);
  await expect(row('Browser close').getByRole('cell')).toHaveText([close, close]);
  await expect(row('Request line at the echo server')).not.toContainText('differs');
  const headers = compare.getByRole('table', { name: 'Headers the echo server received' });
  await expect(headers.getByRole('row', { name: /^Sec-WebSocket-Key / })).toContainText('new for every connection');
  await expect(headers.locator('caption')).toContainText('(no differences)');
}

export const realNginx: ExtraChecks = {
  recipe: async ({ page, recorded, chromium, conn }) => {
    // nginx is a column of its own, seen on both sides: by the lab's tap and by the echo server.
    const hops = page.getByRole('list', { name: 'Sequence of hops' });
    await expect(hops.getByRole('button', { name: /^GET \/nginx-websocket\/echo HTTP\/1\.1.*request · nginx → echo server · seen by the echo server/ })).toBeVisible();
    await expect(hops.getByRole('button', { name: /^GET \/nginx-websocket\/echo HTTP\/1\.1.*request · browser → nginx · seen by the nginx/ })).toBeVisible();
    expect(recorded('nginx')).toMatchObject({ route: 'nginx', preset: 'nginx-websocket' });
    expect(chromium.socket(conn('nginx')).errors).toEqual([]);
  },
  'recipe-compared': ({ page }) => sameOutcome(page, 'open (101 Switching Protocols)', 'CloseEvent 1000 “done” wasClean true'),
  default: ({ page }) => sameOutcome(page, 'refused with 426 Upgrade Required', 'CloseEvent 1006 “” wasClean false'),
  idle: async ({ page, chromium, conn, world }) => {
    await sameOutcome(page, 'open (101 Switching Protocols)', 'CloseEvent 1006 “” wasClean false');
    const cut = chromium.socket(conn('nginx-idle'));
    expect(cut.closedAt - cut.createdAt).toBeGreaterThanOrEqual(world().idleTimeoutMs - 100);
  },
};

export const strictMode: ExtraChecks = {
  lenient: async ({ page }) => {
    await page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(page.getByRole('region', { name: 'Observed by echo server' }).getByLabel('request as seen by echo')).toContainText('HTTP/1.0');
  },
  strict: async ({ page, recorded }) => {
    expect(recorded().url).toContain('strict=1');
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const echo = page.getByRole('region', { name: 'Observed by echo server' });
    await expect(echo.getByLabel('request as seen by echo')).toContainText('HTTP/1.0');
    await expect(echo.getByLabel('response as seen by echo')).toContainText('strict: an HTTP/1.0 request cannot upgrade; RFC 6455 §4.1 requires HTTP/1.1 or higher');
  },
};
