import { connect, expect, messageRow, statusOpen, test } from './lesson-kit.ts';

// Lesson: share exactly what you see. The page URL carries the session, the connection, the tab,
// the selected frame or hop, and the search; opening it restores the view, and Back and Forward
// walk through the connections and tabs visited.

test('a link restores the connection, tab, selected frame and search; another restores a hop', async ({ labPage: page, context }) => {
  const { conn } = await connect(page, { route: 'reverse-proxy:nginx-websocket' });
  await expect(statusOpen(page, conn)).toBeVisible();
  for (const text of ['first', 'deep link me']) {
    await page.getByLabel('Message text').fill(text);
    await page.getByRole('button', { name: 'Send text' }).click();
  }
  await page.getByRole('tab', { name: 'Frames' }).click();
  await page.getByLabel('Search payloads').fill('deep');
  await messageRow(page, '↓ received', 'deep link me').click();
  const frameHeading = await page.getByRole('heading', { name: /^Frame #\d+/ }).textContent();
  const link = page.url();
  const query = new URL(link).searchParams;
  expect([query.get('conn'), query.get('tab'), query.get('q')]).toEqual([conn, 'frames', 'deep']);
  expect(query.get('frame')).toMatch(/^\d+$/);

  // Someone else opens the link.
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByRole('heading', { name: `Connection ${conn}` })).toBeVisible();
  await expect(other.getByRole('tab', { name: 'Frames' })).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByLabel('Search payloads')).toHaveValue('deep');
  await expect(other.getByRole('heading', { name: /^Message #4: text/ })).toBeVisible();
  await expect(other.getByRole('heading', { name: /^Frame #\d+/ })).toHaveText(frameHeading!);
  await expect(messageRow(other, 'deep link me').filter({ hasText: '↓ received' })).toHaveAttribute('aria-selected', 'true');

  // A hop: the arrow and its detail come back on reload.
  await other.getByRole('tab', { name: 'Hops' }).click();
  const arrow = other.getByRole('list', { name: 'Sequence of hops' }).getByRole('button', { name: /request · reverse proxy → echo server · seen by the echo server/ });
  await arrow.click();
  await expect(other).toHaveURL(/[?&]hop=request-\d+/);
  await other.reload();
  await expect(arrow).toHaveAttribute('aria-pressed', 'true');
  await expect(other.getByRole('region', { name: 'Hop detail' })).toContainText('request · reverse proxy → echo server · seen by the echo server');
});

test('Back and Forward walk through the tabs and connections visited', async ({ labPage: page }) => {
  const first = await connect(page);
  await expect(statusOpen(page, first.conn)).toBeVisible();
  const second = await connect(page);
  await expect(statusOpen(page, second.conn)).toBeVisible();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await page.getByRole('tab', { name: 'Close' }).click();

  await page.goBack();
  await expect(page.getByRole('tab', { name: 'Frames' })).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(page.getByRole('tab', { name: 'Handshake' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: `Connection ${second.conn}` })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: `Connection ${first.conn}` })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { name: `Connection ${second.conn}` })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('tab', { name: 'Frames' })).toHaveAttribute('aria-selected', 'true');
});

test('a link to an early message opens the list at that message, not at the live end', async ({ labPage: page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const { conn } = await connect(page);
  await expect(statusOpen(page, conn)).toBeVisible();
  for (let i = 1; i <= 30; i++) {
    await page.getByLabel('Message text').fill(`message number ${String(i).padStart(2, '0')}`);
    await page.getByRole('button', { name: 'Send text' }).click();
  }
  await page.getByRole('tab', { name: 'Frames' }).click();
  await expect(page.locator('.filter-count')).toHaveText('60 messages');
  await page.getByLabel('Search payloads').fill('message number 02');
  await messageRow(page, '↑ sent', 'message number 02').click();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.reload();
  const row = messageRow(page, '↑ sent', 'message number 02');
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(row).toBeInViewport();
});
