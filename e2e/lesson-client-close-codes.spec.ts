import type { Page } from '@playwright/test';
import { browserClose, connect, expect, framesOf, recorded, statusClosed, statusOpen, test, watchChromium } from './lesson-kit.ts';

// Lesson: what a page may put in its close frame. WebSocket.close(code, reason) accepts only
// 1000 and 3000–4999 (WHATWG WebSockets): 1005 and 1006 are for the receiver to report and
// never travel, 1001–1015 are the endpoints' own, anything outside 1000–4999 is not a close
// code at all. The reason has room for 123 bytes of UTF-8 (a control frame carries at most
// 125, two of them the code). Chromium throws instead of sending; the lab catches the
// DOMException and explains it, the socket stays open, and nothing reaches the wire.

async function closeFromBrowser(page: Page, code: string, reason: string) {
  await page.getByLabel('Client close code').fill(code);
  await page.getByLabel('Client close reason').fill(reason);
  await page.getByRole('button', { name: 'Close from browser' }).click();
}

const REFUSED_CODES = [
  { code: 1005, means: 'no status received', chromium: "Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. 1005 is neither." },
  { code: 1006, means: 'abnormal closure (no close frame)', chromium: "Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. 1006 is neither." },
  { code: 999, means: 'not a valid close code', chromium: "Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. 999 is neither." },
  { code: 5000, means: 'not a valid close code', chromium: "Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. 5000 is neither." },
];

test.describe('client close codes', () => {
  test('codes and reasons the browser refuses are explained, and the socket stays open', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const pageErrors: Error[] = [];
    page.on('pageerror', (e) => pageErrors.push(e));
    const { conn } = await connect(page);
    await expect(statusOpen(page, conn)).toBeVisible();
    const alert = page.getByRole('alert');

    for (const { code, means, chromium: said } of REFUSED_CODES) {
      await closeFromBrowser(page, String(code), 'bye');
      await expect(alert).toHaveText(
        `The browser refused close(${code}) with InvalidAccessError: a page may only send 1000 or 3000–4999, and ${code} means “${means}”. ` +
          `Nothing was sent. The browser said: “${said}”`,
      );
    }

    const reason = 'r'.repeat(124);
    await closeFromBrowser(page, '4000', reason);
    await expect(alert).toHaveText(
      'The browser refused the reason with SyntaxError: it is 124 bytes of UTF-8 and a close frame has room for 123 (a control frame carries ' +
        'at most 125 payload bytes, 2 of them the code: RFC 6455 §5.5). Nothing was sent. ' +
        "The browser said: “Failed to execute 'close' on 'WebSocket': The close reason must not be greater than 123 UTF-8 bytes.”",
    );
    // Multi-byte characters count as bytes: 62 × "é" is 124 bytes in 62 characters.
    await closeFromBrowser(page, '4000', 'é'.repeat(62));
    await expect(alert).toContainText('it is 124 bytes of UTF-8');

    // No crash, the socket still works, and nothing reached the wire: no close frame at all.
    await page.getByLabel('Message text').fill('still open');
    await page.getByRole('button', { name: 'Send text' }).click();
    await expect.poll(() => chromium.socket(conn).received).toEqual(['still open']);
    expect(pageErrors).toEqual([]);
    expect(chromium.socket(conn).closed).toBe(false);
    expect(framesOf(recorded(lab, page, conn)).filter((f) => f.opcode === 0x8)).toEqual([]);

    // 123 bytes is allowed: it closes.
    await closeFromBrowser(page, '4000', 'r'.repeat(123));
    await expect(statusClosed(page, conn, 4000, true)).toBeVisible();
  });

  for (const [code, reason] of [
    [1000, 'done'],
    [4000, 'game over'],
  ] as const) {
    test(`close(${code}, "${reason}") travels to the server and back: clean`, async ({ labPage: page, lab }) => {
      const chromium = await watchChromium(page);
      const { conn } = await connect(page);
      await expect(statusOpen(page, conn)).toBeVisible();
      await closeFromBrowser(page, String(code), reason);
      await expect(statusClosed(page, conn, code, true)).toBeVisible();
      await page.getByRole('tab', { name: 'Close' }).click();
      await expect(page.getByText(`CloseEvent ${code} “${reason}” wasClean true`)).toBeVisible();
      const frames = page.getByRole('region', { name: 'Close frames' });
      await expect(frames).toContainText(`browser → echo seen by the echo server: ${code}`);
      await expect(frames).toContainText(`echo → browser seen by the echo server: ${code}`);

      // Chromium's CloseEvent and the frames on the wire agree with what the page shows.
      expect(await browserClose(lab, page, conn)).toMatchObject({ code, reason, wasClean: true });
      await expect.poll(() => chromium.socket(conn).closed).toBe(true);
      const closes = framesOf(recorded(lab, page, conn)).filter((f) => f.opcode === 0x8);
      expect(closes.map((f) => [f.from, f.masked, f.close?.code, f.close?.reason])).toEqual([
        ['browser', true, code, reason],
        ['echo', false, code, reason],
      ]);
      expect(chromium.console).toEqual([]);
    });
  }
});
