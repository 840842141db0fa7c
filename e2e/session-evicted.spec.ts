import WebSocket from 'ws';
import { expect, sessionOf, test } from './fixtures.ts';
import { startLab } from '../server/src/lab.ts';

// Lesson: the lab's memory is bounded. When every session's captures together outgrow
// --capture-budget, the least recently active session is evicted; the page showing it is told
// and can start a new one, instead of a live view that silently goes quiet.

test('an evicted session says so and offers a new one', async ({ page }) => {
  const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, limits: { captureBudget: 256 * 1024 } });
  try {
    await page.goto(`http://127.0.0.1:${lab.ports.ui}/`);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
    const session = sessionOf(page);

    // Another user's traffic fills the budget: this page's session is the only one to give way.
    const other = lab.store.createSession();
    const ws = new WebSocket(`ws://127.0.0.1:${lab.ports.echo}/echo?lab=${other}&conn=flood`);
    await new Promise((r) => ws.once('open', r));
    for (let i = 0; i < 100 && lab.store.hasSession(session); i++) {
      const echoed = new Promise((r) => ws.once('message', r));
      ws.send(Buffer.alloc(32 * 1024, 0x61));
      await echoed;
    }
    ws.close();
    expect(lab.store.hasSession(session)).toBe(false);

    await expect(page.getByRole('alert').filter({ hasText: `The lab evicted session ${session}` })).toContainText('--capture-budget');
    await page.getByRole('button', { name: 'Start a new session' }).click();
    await expect.poll(() => sessionOf(page)).not.toBe(session);
    await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
  } finally {
    await lab.close();
  }
});
