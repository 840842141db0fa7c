import { connect, expect, findings, openServerActions, statusClosed, statusOpen, test } from './lesson-kit.ts';

// Lesson: how it ended, said once and plainly. A clean close reads as clean, a failure as a
// failure; the findings appear once, above the tabs; and once the connection is over, nothing
// offers to act on it.

test('a clean 4000 close reads as clean, findings once, and the server actions are off', async ({ labPage: page }) => {
  const { conn } = await connect(page);
  await expect(statusOpen(page, conn)).toBeVisible();
  await openServerActions(page);
  await page.getByLabel('Server close code').fill('4000');
  await page.getByLabel('Server close reason').fill('done');
  await page.getByRole('button', { name: 'Server close' }).click();
  await expect(statusClosed(page, conn, 4000, true)).toBeVisible();

  await page.getByRole('tab', { name: 'Close' }).click();
  await expect(page.getByRole('region', { name: 'Browser CloseEvent' })).toContainText('✓ clean');
  await expect(findings(page)).toContainText('The echo server started the closing handshake with 4000');
  await expect(findings(page)).toContainText('✓ closed 4000, clean');
  await expect(findings(page)).not.toContainText('⚠');
  await expect(page.getByRole('region', { name: 'Findings' })).toHaveCount(1);

  await expect(page.getByRole('button', { name: 'Server close' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Terminate (no close frame)' })).toBeDisabled();
  await expect(page.getByText('The connection has ended: the echo server can no longer act on it.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send text' })).toBeDisabled();
});

test('a failed connection reads as failed', async ({ labPage: page }) => {
  const { conn } = await connect(page, { route: 'reverse-proxy:nginx-default' });
  await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
  await expect(findings(page)).toContainText('⚠ closed 1006');
  await page.getByRole('tab', { name: 'Close' }).click();
  await expect(page.getByRole('region', { name: 'Browser CloseEvent' })).toContainText('✗ not clean');
  await openServerActions(page);
  await expect(page.getByRole('button', { name: 'Server close' })).toBeDisabled();
});
