import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '../server/src/lab.ts';
import { expect, statusOpen, test } from './lesson-kit.ts';

// Lesson: the lab keeps its sessions on disk. Stopped and started again, the link to a session
// opens it as it was; the connection that was live when the lab stopped is read-only.

let dir: string;
const labs: Lab[] = [];
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lab-e2e-restart-'));
});
test.afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<Lab> {
  const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, dataDir: dir });
  labs.push(lab);
  return lab;
}

test('a session link opens the session after a restart, its live connection read-only', async ({ page }) => {
  const first = await start();
  await page.goto(`http://127.0.0.1:${first.ports.ui}/`);
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
  const url = (await page.getByLabel('URL it will open').textContent()) ?? '';
  const conn = new URL(url).searchParams.get('conn')!;
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(statusOpen(page, conn)).toBeVisible();
  await page.getByLabel('Message text').fill('before the restart');
  await page.getByRole('button', { name: 'Send text' }).click();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await expect(page.getByRole('listbox', { name: 'Messages' }).getByRole('option').filter({ hasText: '↓ received' }).filter({ hasText: 'before the restart' })).toBeVisible();
  const session = new URL(page.url()).searchParams.get('session')!;
  await page.goto('about:blank');
  await first.close({ graceMs: 500 });
  labs.splice(labs.indexOf(first), 1);

  const second = await start();
  expect(second.sessions).toMatchObject({ file: join(dir, 'sessions.sqlite'), restored: 2 });
  await page.goto(`http://127.0.0.1:${second.ports.ui}/?session=${session}&conn=${conn}&tab=frames`);
  await expect(page.getByRole('listbox', { name: 'Messages' }).getByRole('option').filter({ hasText: '↓ received' }).filter({ hasText: 'before the restart' })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: 'This connection was recorded before the lab restarted: it is read-only' })).toBeVisible();
  await expect(page.getByLabel('Message text')).toHaveCount(0);
  // The session goes on: a new connection in it works as before.
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: / is open/ })).toBeVisible();
  await expect(page.getByLabel('Message text')).toBeVisible();
});
