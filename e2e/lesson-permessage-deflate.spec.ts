import type { Page } from '@playwright/test';
import type { Lab } from '../server/src/lab.ts';
import { connect, expect, framesOf, recorded, statusClosed, statusOpen, test, text, watchChromium } from './lesson-kit.ts';

// Lesson: permessage-deflate (RFC 7692). Chromium always offers it; the echo server agrees
// only with deflate=on. Once agreed, each data message travels compressed with RSV1 set on
// its first frame, and the page never notices: WebSocket.extensions says so, nothing else.
// The lab shows the offer, the answer and its parameters, and each frame's compressed bytes
// beside the text they inflate to. With context takeover (the default), a message repeated
// compresses to a few bytes: it refers back to the one before, so the lab's inflater must
// keep each direction's window from message to message, as the endpoints do.

async function send(page: Page, message: string) {
  await page.getByLabel('Message text').fill(message);
  await page.getByRole('button', { name: 'Send text' }).click();
}

const dataFrames = (lab: Lab, page: Page, conn: string, from: 'browser' | 'echo') =>
  framesOf(recorded(lab, page, conn)).filter((f) => f.from === from && f.opcode === 0x1);

test.describe('permessage-deflate', () => {
  test('off by default: Chromium offers it, the 101 agrees to nothing, frames are plain', async ({ labPage: page, lab }) => {
    const { conn } = await connect(page, { deflate: false });
    await expect(statusOpen(page, conn)).toContainText('extensions “”');
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const extensions = page.getByLabel('Extensions', { exact: true });
    await expect(extensions).toContainText('Extensions the browser offeredpermessage-deflateclient_max_window_bits');
    await expect(extensions).toContainText('Accepted in the 101 (Sec-WebSocket-Extensions)(none)');
    await expect(extensions).toContainText('Nothing was agreed, so every frame travels uncompressed and RSV1 must stay 0');

    await send(page, 'plain as it is');
    await page.getByRole('tab', { name: 'Frames' }).click();
    const row = page.getByRole('option').filter({ hasText: 'echo → browser' }).filter({ hasText: 'plain as it is' });
    await expect(row).toContainText('000');
    expect(dataFrames(lab, page, conn, 'echo').every((f) => !f.rsv1 && f.inflated === undefined)).toBe(true);
  });

  test('deflate=on: the offer, the answer, RSV1 and the inflated text', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const { conn } = await connect(page, { deflate: true });
    await expect(statusOpen(page, conn)).toContainText('extensions “permessage-deflate”');

    // The negotiation, with each parameter explained.
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const extensions = page.getByLabel('Extensions', { exact: true });
    await expect(extensions).toContainText('client_max_window_bits: the client can use a smaller LZ77 window if the server asks for one');
    await expect(extensions).toContainText('Accepted in the 101 (Sec-WebSocket-Extensions)permessage-deflate');
    await expect(extensions).toContainText('No parameters: both sides keep their compression context from message to message (context takeover)');
    await expect(extensions).toContainText('WebSocket.extensions in the browser“permessage-deflate”');

    const message = 'compress me, compress me, compress me, compress me';
    await send(page, message);
    await page.getByRole('tab', { name: 'Frames' }).click();
    // The row shows RSV1 set, and the text the lab inflated (its first 48 bytes).
    const row = page.getByRole('option').filter({ hasText: 'echo → browser' }).filter({ hasText: 'compress me, compress me' });
    await expect(row).toContainText('100');
    await row.click();
    await expect(page.getByRole('table', { name: 'Frame header bits' }).getByRole('cell', { name: /^RSV1/ })).toContainText('1');
    await expect.poll(() => dataFrames(lab, page, conn, 'echo').length).toBe(1);
    const [frame] = dataFrames(lab, page, conn, 'echo');
    await expect(page.getByLabel('Compression')).toHaveText(
      `permessage-deflate: RSV1 is set, so the payload is compressed: ${frame!.length} bytes on the wire inflate to ${message.length} bytes ` +
        `(${Math.round((frame!.length / message.length) * 100)}% of the inflated size).`,
    );
    await expect(page.getByRole('region', { name: 'Inflated text (UTF-8)' })).toContainText(message);
    await expect(page.getByRole('heading', { name: 'Payload as sent (compressed): hex dump' })).toBeVisible();

    // Chromium reports the message uncompressed; on the wire both directions were compressed.
    await expect.poll(() => chromium.socket(conn).received).toEqual([message]);
    expect(chromium.socket(conn).sent).toEqual([message]);
    await expect.poll(() => chromium.socket(conn).response?.headers['Sec-WebSocket-Extensions']).toBe('permessage-deflate');
    for (const from of ['browser', 'echo'] as const) {
      const [f] = dataFrames(lab, page, conn, from);
      expect(f).toMatchObject({ rsv1: true, fin: true });
      expect(f!.length).toBeLessThan(message.length);
      expect(text(f!.payload)).not.toBe(message);
      expect(text(f!.inflated!)).toBe(message);
    }
  });

  test('context takeover: the same message three times compresses smaller after the first', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const { conn } = await connect(page, { deflate: true });
    await expect(statusOpen(page, conn)).toBeVisible();

    const message = 'The quick brown fox jumps over the lazy dog while the WebSocket keeps its window.';
    for (let i = 1; i <= 3; i++) {
      await send(page, message);
      await expect.poll(() => chromium.socket(conn).received.length).toBe(i);
    }
    await expect.poll(() => dataFrames(lab, page, conn, 'echo').length).toBe(3);

    // In each direction: three compressed frames, the 2nd and 3rd far smaller, all inflating to the text.
    for (const from of ['browser', 'echo'] as const) {
      const frames = dataFrames(lab, page, conn, from);
      expect(frames.map((f) => f.rsv1)).toEqual([true, true, true]);
      expect(frames.map((f) => text(f.inflated!))).toEqual([message, message, message]);
      const [first, second, third] = frames.map((f) => f.length) as [number, number, number];
      expect(second).toBeLessThan(first / 3);
      expect(third).toBeLessThanOrEqual(second);
    }

    // The user sees the same: the third message from the echo server, a few bytes inflating to the whole text.
    await page.getByRole('tab', { name: 'Frames' }).click();
    await page.getByRole('option').filter({ hasText: 'echo → browser' }).filter({ hasText: 'The quick brown fox' }).nth(2).click();
    const third = dataFrames(lab, page, conn, 'echo')[2]!;
    await expect(page.getByLabel('Compression')).toContainText(`${third.length} bytes on the wire inflate to ${message.length} bytes`);
    await expect(page.getByRole('region', { name: 'Inflated text (UTF-8)' })).toContainText(message);
    expect(chromium.socket(conn).received).toEqual([message, message, message]);

    await page.getByRole('button', { name: 'Close from browser' }).click();
    await expect(statusClosed(page, conn, 1000, true)).toBeVisible();
  });
});
