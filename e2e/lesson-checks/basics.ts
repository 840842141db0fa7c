import type { FrameEvent } from '../../server/src/transcript/types.ts';
import { framesOf } from '../../web/src/lessons/evaluate.ts';
import { expect } from '../fixtures.ts';
import type { ExtraChecks } from '../lesson-runner.ts';

/** The Close tab's line for the page's CloseEvent. */
export const closeEventShown = async (ctx: Parameters<ExtraChecks[string]>[0], text: string) => {
  await ctx.page.getByRole('tab', { name: 'Close' }).click();
  await expect(ctx.page.getByText(text)).toBeVisible();
};

export const directConnection: ExtraChecks = {
  upgrade: async ({ page }) => {
    // The Accept check the Handshake tab runs on the echo server's 101.
    await page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(page.getByLabel('Sec-WebSocket-Accept check').first()).toContainText('✓ match');
  },
  echo: async ({ recorded }) => {
    // Masked from the browser with a 4-byte key (8 hex digits), never from the server (RFC 6455 §5.1).
    const frames = framesOf(recorded(), { seenBy: 'echo' }).filter((f: FrameEvent) => f.opcode === 1);
    expect(frames.filter((f) => f.from === 'browser').every((f) => f.masked && f.maskKey?.length === 8)).toBe(true);
    expect(frames.filter((f) => f.to === 'browser').every((f) => !f.masked && f.maskKey === undefined)).toBe(true);
  },
  'close-4000': (ctx) => closeEventShown(ctx, 'CloseEvent 4000 “done” wasClean true'),
  'server-close': (ctx) => closeEventShown(ctx, 'CloseEvent 4001 “from the server” wasClean true'),
  terminate: (ctx) => closeEventShown(ctx, 'CloseEvent 1006 “” wasClean false'),
};

export const acceptByHand: ExtraChecks = {
  'by-hand': async ({ page, chromium, conn, player }) => {
    // Chromium checked the same value and accepted it: the one the player computed.
    const accepted = chromium.socket(conn()).response?.headers['Sec-WebSocket-Accept'];
    expect(accepted).toBeTruthy();
    await expect(player.getByRole('region', { name: 'Sec-WebSocket-Accept by hand' })).toContainText(`Base64 of the 20 bytes: ${accepted}`);
    await expect(player.getByRole('region', { name: 'Sec-WebSocket-Accept by hand' })).toContainText('✓ the same');
    await expect(page.getByLabel('Sec-WebSocket-Accept check').first()).toContainText('✓ match');
  },
  'wrong-accept': async ({ page, player }) => {
    await expect(page.getByLabel('Sec-WebSocket-Accept check')).toContainText('✗ mismatch: the browser fails the handshake');
    await expect(player.getByRole('region', { name: 'Sec-WebSocket-Accept by hand' })).toContainText('✗ not the same');
  },
};
