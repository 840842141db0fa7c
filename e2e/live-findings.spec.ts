import { connect, expect, findings, openServerActions, statusClosed, statusOpen, test } from './lesson-kit.ts';

// Findings follow a connection on the live stream: the page learns them as the lab recomputes
// them, and never refetches the whole transcript after a handshake, an open, a close or an error.

test('findings arrive on the live stream, with no transcript refetched after the handshake, open or close', async ({ labPage: page }) => {
  const reads: string[] = [];
  page.on('request', (request) => {
    if (/\/api\/sessions\/[^/]+\/transcript$/.test(new URL(request.url()).pathname)) reads.push(request.url());
  });
  const { conn } = await connect(page);
  await expect(statusOpen(page, conn)).toBeVisible();
  // The page read its snapshot when it loaded and when its live stream opened, before this.
  const before = reads.length;

  await openServerActions(page);
  await page.getByLabel('Server close code').fill('4000');
  await page.getByLabel('Server close reason').fill('done');
  await page.getByRole('button', { name: 'Server close' }).click();
  await expect(statusClosed(page, conn, 4000, true)).toBeVisible();
  await expect(findings(page)).toContainText('The echo server started the closing handshake with 4000');
  await expect(findings(page)).toContainText('✓ closed 4000, clean');
  // The page's last word on findings came from the stream: no snapshot was read for them.
  expect(reads.length).toBe(before);
});
