import type { Page } from '@playwright/test';
import { connect, expect, messageRow, statusOpen, test } from './lesson-kit.ts';

// The workbench at the sizes people use: a laptop (1440×900), a projector (1280×720) and a
// phone (390×844). Everything for one connection on one screen, never sideways scrolling.

const TABS = ['Handshake', 'Frames', 'Close', 'Hops'] as const;

/** What the page scrolls by, beyond the window. */
const overflow = (page: Page) =>
  page.evaluate(() => ({
    x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    y: document.documentElement.scrollHeight - document.documentElement.clientHeight,
  }));

/** Inside the window, not under its edge: a user sees it without scrolling. */
async function expectOnScreen(page: Page, name: string): Promise<void> {
  const box = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
  const { width, height } = page.viewportSize()!;
  expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height, `${name} on screen`).toBe(true);
}

async function oneProxiedExchange(page: Page): Promise<void> {
  const { conn } = await connect(page, { route: 'reverse-proxy:nginx-websocket' });
  await expect(statusOpen(page, conn)).toBeVisible();
  await page.getByLabel('Message text').fill('Hello, WebSocket');
  await page.getByRole('button', { name: 'Send text' }).click();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await expect(messageRow(page, 'echo → reverse-proxy → browser', 'Hello, WebSocket')).toBeVisible();
}

for (const [width, height] of [
  [1440, 900],
  [1280, 720],
] as const) {
  test(`${width}×${height}: one connection on one screen, Connect and Send in view, no page scroll`, async ({ labPage: page }) => {
    await page.setViewportSize({ width, height });
    await oneProxiedExchange(page);
    for (const tab of TABS) {
      await page.getByRole('tab', { name: tab }).click();
      expect(await overflow(page), `${tab}: the page itself does not scroll`).toEqual({ x: 0, y: 0 });
      await expectOnScreen(page, 'Connect');
      await expectOnScreen(page, 'Send text');
    }
    // Three panes side by side: connections, the connection, the inspector.
    const left = (await page.getByRole('complementary', { name: 'Connections' }).boundingBox())!;
    const middle = (await page.getByRole('region', { name: /^Connection c-/ }).boundingBox())!;
    const right = (await page.getByRole('complementary', { name: 'Inspector' }).boundingBox())!;
    expect(left.x + left.width).toBeLessThanOrEqual(middle.x);
    expect(middle.x + middle.width).toBeLessThanOrEqual(right.x);
  });
}

test('390×844: one column, every tab reachable, nothing wider than the phone', async ({ labPage: page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await oneProxiedExchange(page);
  for (const tab of TABS) {
    const button = page.getByRole('tab', { name: tab });
    await button.click();
    const box = (await button.boundingBox())!;
    expect(box.x + box.width, `${tab} tab inside the screen`).toBeLessThanOrEqual(390);
    expect((await overflow(page)).x, `${tab}: no sideways scroll`).toBe(0);
  }
  // One column: the inspector comes after the connection, not beside it.
  const middle = (await page.getByRole('region', { name: /^Connection c-/ }).boundingBox())!;
  const inspector = (await page.getByRole('complementary', { name: 'Inspector' }).boundingBox())!;
  expect(inspector.y).toBeGreaterThanOrEqual(middle.y + middle.height - 1);
  await page.getByRole('tab', { name: 'Frames' }).click();
  await messageRow(page, 'browser → reverse-proxy → echo').click();
  await expect(page.getByRole('table', { name: 'Frame header bits' })).toBeVisible();
  expect((await overflow(page)).x, 'an open frame: no sideways scroll').toBe(0);
});

test('side panes resize and hide from the keyboard; the theme follows the system or the toggle, and is remembered', async ({ labPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const splitter = page.getByRole('separator', { name: 'Resize connections' });
  const before = Number(await splitter.getAttribute('aria-valuenow'));
  await splitter.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(splitter).toHaveAttribute('aria-valuenow', String(before + 32));
  const sidebar = page.getByRole('complementary', { name: 'Connections' });
  expect(Math.round((await sidebar.boundingBox())!.width)).toBe(before + 32);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Show connections' })).toBeVisible();
  await page.getByRole('button', { name: 'Show connections' }).click();
  await page.getByRole('button', { name: 'Hide inspector' }).click();
  await expect(page.getByRole('button', { name: 'Show inspector' })).toBeVisible();

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByLabel('Theme').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  // Remembered in this browser: a reload keeps the theme and the panes as they were left.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByRole('button', { name: 'Show inspector' })).toBeVisible();
  expect(Math.round((await sidebar.boundingBox())!.width)).toBe(before + 32);
});

test('1280×720: the compare view scrolls inside the middle pane, down to its header diff', async ({ labPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole('button', { name: 'Compare view' }).click();
  await page.getByRole('button', { name: 'Compare direct with preset' }).click();
  const headers = page.getByRole('table', { name: 'Headers the echo server received' });
  await expect(headers).toBeAttached();
  // As a person scrolls: the wheel over the view, not a script scrolling a clipped box.
  await page.getByRole('heading', { name: 'Compare', exact: true }).hover();
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 400);
  await expect(headers.getByRole('row').last()).toBeInViewport();
  expect(await overflow(page)).toEqual({ x: 0, y: 0 });
});

test("the nginx location shown is the viewed connection's preset, not the one the connect bar is set to next", async ({ labPage: page }) => {
  const { conn } = await connect(page, { route: 'reverse-proxy:nginx-default' });
  await expect(page.getByRole('heading', { name: `Connection ${conn}` })).toBeVisible();
  await page.getByLabel('Route').selectOption('reverse-proxy:nginx-websocket');
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector.getByText(/^nginx-default: /)).toBeVisible();
  await expect(inspector.getByLabel('nginx configuration for nginx-default')).not.toContainText('proxy_set_header');
  await expect(inspector.getByLabel(/nginx configuration for nginx-websocket/)).toHaveCount(0);
});
