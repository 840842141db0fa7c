import type { Page } from '@playwright/test';
import { connect, expect, messageRow, statusOpen, test } from './lesson-kit.ts';

// Lesson: find a message. Through a proxy every message is seen three times (as the proxy
// received it, as it sent it on, as the echo server received it); the Frames tab lists it once,
// with the hops it crossed, and opens it into each leg's frames. Search by text, regular
// expression or hex bytes, filter by direction, opcode and hop, and clear it all.

const messages = (page: Page) => page.getByRole('listbox', { name: 'Messages' }).getByRole('option');
const search = (page: Page) => page.getByLabel('Search payloads');

async function sendThree(page: Page): Promise<void> {
  const { conn } = await connect(page, { route: 'reverse-proxy:nginx-websocket' });
  await expect(statusOpen(page, conn)).toBeVisible();
  for (const text of ['Hello, WebSocket', '{"user":"LiuYue","needle":true,"tags":["a","b"]}']) {
    await page.getByLabel('Message text').fill(text);
    await page.getByRole('button', { name: 'Send text' }).click();
  }
  await page.getByLabel('Message bytes (hex)').fill('48 69 ff fe');
  await page.getByRole('button', { name: 'Send binary' }).click();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await expect(messages(page)).toHaveCount(6);
}

test('each message once, with its hops, opening into every leg’s frames', async ({ labPage: page }) => {
  await sendThree(page);
  // Sent and echoed, in order; three legs each: 18 frames in 6 messages.
  const sent = messageRow(page, '↑ sent', 'browser → reverse-proxy → echo', 'Hello, WebSocket');
  const echoed = messageRow(page, '↓ received', 'echo → reverse-proxy → browser', 'Hello, WebSocket');
  await expect(sent).toContainText('3 frames');
  await expect(echoed).toContainText('#2');

  // Right opens a message into its frames, leg by leg; Left closes it again.
  await sent.click();
  await page.keyboard.press('ArrowRight');
  const frames = messages(page).filter({ hasText: 'frame #' });
  await expect(frames).toHaveCount(3);
  await expect(frames.nth(0)).toContainText('reverse-proxy saw browser → reverse-proxy');
  await expect(frames.nth(0)).toContainText('masked');
  await expect(frames.nth(2)).toContainText('echo saw reverse-proxy → echo');
  await frames.nth(1).click();
  await expect(page.getByRole('heading', { name: /^Frame #\d+: text, reverse-proxy → echo/ })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(frames).toHaveCount(0);
  await expect(sent).toHaveAttribute('aria-selected', 'true');
});

test('search by text, regular expression or hex bytes; filter by direction, opcode and hop; clear', async ({ labPage: page }) => {
  await sendThree(page);
  const count = page.locator('.filter-count');

  await search(page).fill('NEEDLE');
  await expect(messages(page)).toHaveCount(2);
  await expect(count).toHaveText('2 of 6 messages');

  await page.getByLabel('Regex').check();
  await search(page).fill('^hel+o, web');
  await expect(messages(page)).toHaveCount(2);
  await search(page).fill('(');
  await expect(page.getByText(/^Not a regular expression: /)).toBeVisible();
  await expect(search(page)).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Regex').uncheck();

  // Hex: the binary message's bytes, and bytes inside a text message ("Liu" is 4c 69 75).
  await search(page).fill('ff fe');
  await expect(messages(page)).toHaveCount(2);
  await expect(messages(page).first()).toContainText('binary');
  await search(page).fill('4c 69 75');
  await expect(messages(page)).toHaveCount(2);
  await expect(messages(page).first()).toContainText('LiuYue');

  await search(page).fill('');
  await page.getByLabel('Direction').selectOption('in');
  await expect(messages(page)).toHaveCount(3);
  for (const row of await messages(page).all()) await expect(row).toContainText('↓ received');
  await page.getByLabel('Opcode').selectOption('2');
  await expect(messages(page)).toHaveCount(1);
  await expect(messages(page)).toContainText('48 69 ff fe');
  await page.getByLabel('Opcode').selectOption('all');
  await page.getByLabel('Hop').selectOption({ label: 'seen by the reverse proxy: browser ↔ reverse-proxy (6)' });
  await expect(messages(page)).toHaveCount(3);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(messages(page)).toHaveCount(6);
  await expect(count).toHaveText('6 messages');
  await expect(page.getByRole('button', { name: 'Clear filters' })).toBeDisabled();
});

test('payload as text, JSON, hex and base64, in full; compressed against inflated sizes', async ({ labPage: page }) => {
  const { conn } = await connect(page, { deflate: true });
  await expect(statusOpen(page, conn)).toBeVisible();
  const long = `{"story":"${'a long line of text '.repeat(20)}","end":true}`;
  await page.getByLabel('Message text').fill(long);
  await page.getByRole('button', { name: 'Send text' }).click();
  await page.getByRole('tab', { name: 'Frames' }).click();

  // The row shows the start and says there is more; its title holds the whole text.
  const row = messageRow(page, 'echo → browser');
  await expect(row.locator('.msg-preview')).toHaveText(/…$/);
  await expect(row.locator('.msg-preview')).toHaveAttribute('title', long);
  await row.click();

  const payload = page.getByRole('region', { name: 'Message payload' });
  await expect(payload).toContainText(new RegExp(`\\d+ bytes on the wire \\(compressed\\) → ${long.length} bytes inflated`));
  const tree = payload.getByRole('list', { name: 'JSON' });
  await expect(tree).toContainText('"end": true');
  await tree.getByText('{').first().click();
  await expect(tree).not.toContainText('"end": true');

  await payload.getByRole('button', { name: 'Text', exact: true }).click();
  await expect(payload.getByRole('region', { name: 'Inflated text (UTF-8)' })).toHaveText(long);
  await payload.getByRole('button', { name: 'Hex', exact: true }).click();
  await expect(payload.getByRole('group', { name: 'Inflated payload hex dump' })).toContainText('00000000  7b 22 73 74 6f 72 79 22');
  await payload.getByRole('button', { name: 'Base64', exact: true }).click();
  await expect(payload.getByRole('group', { name: 'Payload as base64' })).toHaveText(Buffer.from(long).toString('base64'));
});
