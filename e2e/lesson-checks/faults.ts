import type { Page } from '@playwright/test';
import { framesOf } from '../../web/src/lessons/evaluate.ts';
import { expect } from '../fixtures.ts';
import { findings } from '../lesson-kit.ts';
import type { ExtraChecks, StepContext } from '../lesson-runner.ts';
import { closeEventShown } from './basics.ts';

const bits = (page: Page) => page.getByRole('table', { name: 'Frame header bits' });

/** The page's CloseEvent, and Chromium's own close frame as the echo server's tap saw it. */
async function chromiumClosed(ctx: StepContext, code: number, reason: string): Promise<void> {
  await closeEventShown(ctx, 'CloseEvent 1006 “” wasClean false');
  await expect(ctx.page.getByRole('region', { name: 'Close frames' })).toContainText(`browser → echo seen by the echo server: ${code} (protocol error) reason “${reason}”`);
  // A reset after Chromium drops TCP is timing, never a finding.
  await expect(findings(ctx.page)).not.toContainText('ECONNRESET');
  await expect(findings(ctx.page)).not.toContainText('EPIPE');
}

export const handshakeFaults: ExtraChecks = {
  'wrong-accept': async (ctx) => {
    await expect(ctx.page.getByLabel('Sec-WebSocket-Accept check')).toContainText('✗ mismatch: the browser fails the handshake');
    await closeEventShown(ctx, 'CloseEvent 1006 “” wasClean false');
  },
  'missing-upgrade': async ({ page }) => {
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const response = page.getByLabel('response as seen by echo');
    await expect(response).toContainText('HTTP/1.1 101 Switching Protocols');
    await expect(response).not.toContainText('Upgrade: websocket');
    // The Accept value is right: only the Upgrade header is missing.
    await expect(page.getByLabel('Sec-WebSocket-Accept check')).toContainText('✓ match');
  },
  'status-200': async ({ page }) => {
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const response = page.getByLabel('response as seen by echo');
    await expect(response).toContainText('HTTP/1.1 200 OK');
    await expect(response).toContainText('this is not a WebSocket endpoint');
    await expect(page.getByRole('region', { name: 'Negotiated in the handshake' })).toContainText('(no 101: 200 OK)');
  },
};

export const frameFaults: ExtraChecks = {
  'masked-frame': async (ctx) => {
    await expect(ctx.page.getByText('Masking key: 01020304')).toBeVisible();
    await expect(bits(ctx.page).getByRole('cell', { name: /^MASK/ })).toContainText('1');
    // Chromium passes no message to the page: the frame never reached 'message'.
    expect(ctx.chromium.socket(ctx.conn()).received).toEqual([]);
    await chromiumClosed(ctx, 1002, 'Masked frame from server');
  },
  rsv1: async (ctx) => {
    await expect(ctx.page.getByText('first two bytes 0xc1 0x08')).toBeVisible();
    await expect(bits(ctx.page).getByRole('cell', { name: /^RSV1/ })).toContainText('1');
    await ctx.page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(ctx.page.getByRole('definition').filter({ hasText: 'Nothing was agreed, so every frame travels uncompressed' })).toBeVisible();
    await chromiumClosed(ctx, 1002, 'Invalid reserved bit');
  },
  'invalid-utf8': async (ctx) => {
    await expect(ctx.page.getByText('Not valid UTF-8 (a text message must be, RFC 6455 §8.1).')).toBeVisible();
    await expect(ctx.page.getByRole('region', { name: 'Payload hex dump' })).toContainText('48 69 ff fe');
    await chromiumClosed(ctx, 1002, 'Invalid UTF-8 in text frame');
  },
  'control-too-long': async (ctx) => {
    await expect(bits(ctx.page).getByRole('cell', { name: /^Payload len \(7\)/ })).toContainText('126: 16-bit length follows');
    await expect(bits(ctx.page).getByRole('cell', { name: /^Extended payload length \(16\)/ })).toContainText('126');
    await chromiumClosed(ctx, 1002, 'WebSocket Protocol Error');
  },
  'close-without-frame': async (ctx) => {
    await expect(ctx.page.getByRole('region', { name: 'Close frames' })).toContainText('No close frame was sent: the connection ended without a closing handshake.');
    // Not a failure in Chromium's eyes: no error event, no console line, just a close.
    const { url } = ctx.recorded();
    expect(ctx.chromium.console.filter((line) => line.includes(url))).toEqual([]);
    expect(ctx.chromium.socket(ctx.conn()).errors).toEqual([]);
    expect(ctx.recorded().events.filter((e) => e.observer === 'browser').map((e) => e.kind).sort()).toEqual(['close', 'open']);
  },
};

export const reservedFaults: ExtraChecks = {
  'reserved-opcode': async ({ chromium, conn }) => {
    expect(chromium.socket(conn()).received).toEqual([]);
  },
  rsv2: async ({ recorded }) => {
    expect(framesOf(recorded(), { from: 'echo', seenBy: 'echo' })[0]).toMatchObject({ rsv1: false, rsv2: true, rsv3: false });
  },
};

