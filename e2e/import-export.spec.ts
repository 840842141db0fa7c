import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { connect, expect, messageRow, sessionOf, statusClosed, statusOpen, test } from './lesson-kit.ts';
import type { Har } from '../server/src/har/types.ts';
import { harProblems } from '../server/src/har/validate.ts';
import type { Transcript } from '../server/src/transcript/types.ts';

// Lesson: a session can be saved and opened again — the lab's own transcript with every hop, or a
// HAR, the browser's side in the format Chrome DevTools and HTTP Toolkit read. An opened file is a
// session of its own, read-only.

const CHROME_HAR = new URL('../server/test/har/fixtures/chrome-devtools.har', import.meta.url);

async function exchange(page: Page, text: string): Promise<string> {
  const { conn } = await connect(page, { route: 'reverse-proxy:nginx-websocket' });
  await expect(statusOpen(page, conn)).toBeVisible();
  await page.getByLabel('Message text').fill(text);
  await page.getByRole('button', { name: 'Send text' }).click();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await expect(messageRow(page, '↓ received', text)).toBeVisible();
  await page.getByRole('button', { name: 'Close from browser' }).click();
  await expect(statusClosed(page, conn, 1000, true)).toBeVisible();
  return conn;
}

async function exportAs(page: Page, item: RegExp): Promise<string> {
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('dialog', { name: 'Export this session' }).getByRole(item.source.includes('HAR') ? 'link' : 'button', { name: item }).click();
  const path = await (await download).path();
  return readFileSync(path, 'utf8');
}

const withoutSession = ({ session: _s, imported: _i, ...rest }: Transcript) => rest;

test('export a transcript, open it again: the same transcript, read-only', async ({ labPage: page, lab }) => {
  await exchange(page, 'round trip ✓');
  const original = sessionOf(page);
  const file = await exportAs(page, /^Transcript/);
  expect(JSON.parse(file)).toMatchObject({ format: 'ws-upgrade-lab/transcript', version: 1, session: original });

  await page.getByLabel('Open a transcript or HAR file').setInputFiles({ name: 'lesson.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(page.getByRole('status').filter({ hasText: /^Opened lesson\.json \(transcript\): 1 connection, \d+ events, read-only\.$/ })).toBeVisible();
  await expect.poll(() => sessionOf(page)).not.toBe(original);
  const copy = sessionOf(page);
  expect(withoutSession(lab.store.read(copy)!)).toEqual(withoutSession({ ...(JSON.parse(file) as Transcript), connections: (JSON.parse(file) as Transcript).connections.map(({ findings: _f, ...c }) => c) }));

  await expect(page.getByRole('note').filter({ hasText: 'Read-only: opened from lesson.json (a transcript).' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeDisabled();
  await page.getByRole('listbox', { name: 'Connections' }).getByRole('option').first().click();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await expect(messageRow(page, '↓ received', 'round trip ✓')).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: 'This session was opened from a file: it is read-only.' })).toBeVisible();
  await expect(page.getByLabel('Message text')).toHaveCount(0);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.getByRole('button', { name: 'Export' }).click();
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`), colorScheme).toEqual([]);
    await page.keyboard.press('Escape');
  }

  // Back returns to the session the file was opened from.
  await page.goBack();
  await expect.poll(() => sessionOf(page)).toBe(original);
});

test('export as HAR 1.2 with Chrome’s WebSocket fields, drop it on the page to open it', async ({ labPage: page }) => {
  await exchange(page, 'har ✓');
  const text = await exportAs(page, /^HAR/);
  const har = JSON.parse(text) as Har;
  expect(harProblems(har)).toEqual([]);
  const [entry] = har.log.entries;
  expect(entry!._resourceType).toBe('websocket');
  expect(entry!.response.status).toBe(101);
  expect(entry!._webSocketMessages!.map(({ type, opcode, data }) => ({ type, opcode, data }))).toEqual([
    { type: 'send', opcode: 1, data: 'har ✓' },
    { type: 'receive', opcode: 1, data: 'har ✓' },
  ]);
  expect(Math.abs(entry!._webSocketMessages![0]!.time - Date.now() / 1000)).toBeLessThan(120);

  const before = sessionOf(page);
  // A file dragged from the desktop and dropped anywhere on the page.
  const dataTransfer = await page.evaluateHandle((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'saved.har', { type: 'application/json' }));
    return dt;
  }, text);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await expect(page.getByRole('status').filter({ hasText: 'Drop a transcript (.json) or a HAR to open it' })).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByRole('status').filter({ hasText: /^Opened saved\.har \(HAR\): 1 connection/ })).toBeVisible();
  await expect.poll(() => sessionOf(page)).not.toBe(before);
  await expect(page.getByRole('note').filter({ hasText: 'A HAR holds what the browser saw only' })).toBeVisible();
  await page.getByRole('listbox', { name: 'Connections' }).getByRole('option').first().click();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await expect(messageRow(page, '↓ received', 'har ✓')).toBeVisible();
  await expect(messageRow(page, '↑ sent', 'har ✓')).toBeVisible();

  // And exported again as HAR: the same messages.
  const again = JSON.parse(await exportAs(page, /^HAR/)) as Har;
  expect(again.log.entries[0]!._webSocketMessages).toEqual(entry!._webSocketMessages);
});

test('a HAR saved by Chrome DevTools opens with its WebSocket messages, seen by the browser only', async ({ labPage: page }) => {
  await page.getByLabel('Open a transcript or HAR file').setInputFiles({ name: 'devtools.har', mimeType: 'application/json', buffer: readFileSync(CHROME_HAR) });
  await expect(page.getByRole('status').filter({ hasText: /^Opened devtools\.har \(HAR\): 1 connection, 8 events, read-only\.$/ })).toBeVisible();
  await page.getByRole('listbox', { name: 'Connections' }).getByRole('option').first().click();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await expect(messageRow(page, '↑ sent', '{"hello":"world"}')).toBeVisible();
  await expect(messageRow(page, '↓ received', 'Grüße ✓')).toBeVisible();
  await page.getByRole('tab', { name: 'Handshake' }).click();
  await expect(page.getByText('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=').first()).toBeVisible();
});

test('a file that is not a transcript says which field is wrong, and the session stays', async ({ labPage: page }) => {
  const before = sessionOf(page);
  const bad = { format: 'ws-upgrade-lab/transcript', version: 3, session: 'x', connections: [] };
  await page.getByLabel('Open a transcript or HAR file').setInputFiles({ name: 'old.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByRole('alert').filter({ hasText: 'Could not open old.json: version must be 1, not 3: this lab reads version 1 transcripts' })).toBeVisible();
  expect(sessionOf(page)).toBe(before);
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
});
