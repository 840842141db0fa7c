import { browserOpenOf, framesOf } from '../../web/src/lessons/evaluate.ts';
import { expect } from '../fixtures.ts';
import { messageRow, statusOpen } from '../lesson-kit.ts';
import type { ExtraChecks, StepContext } from '../lesson-runner.ts';
import { closeEventShown } from './basics.ts';

const subprotocol = (ctx: StepContext) => ctx.page.getByLabel('Subprotocol', { exact: true });

async function chose(ctx: StepContext, offer: string, chosen: string): Promise<void> {
  await expect(statusOpen(ctx.page, ctx.conn())).toContainText(`protocol “${chosen}”`);
  await ctx.page.getByRole('tab', { name: 'Handshake' }).click();
  const dl = subprotocol(ctx);
  await expect(dl).toContainText(`Subprotocols the browser offered${offer}`);
  await expect(dl).toContainText(`Selected in the 101 (Sec-WebSocket-Protocol)${chosen}`);
  await expect(dl).toContainText(`WebSocket.protocol in the browser“${chosen}”`);
  await expect(dl).toContainText(`✓ both sides speak “${chosen}”`);
  await expect(ctx.page.getByText(`WebSocket open: protocol “${chosen}”`)).toBeVisible();
}

export const subprotocols: ExtraChecks = {
  'v2-first': (ctx) => chose(ctx, 'chat.v2, chat.v1', 'chat.v2'),
  'v1-first': (ctx) => chose(ctx, 'chat.v1, chat.v2', 'chat.v1'),
  'none-selected': async (ctx) => {
    await ctx.page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(subprotocol(ctx)).toContainText('Selected in the 101 (Sec-WebSocket-Protocol)(none)');
    await expect(subprotocol(ctx)).toContainText('WebSocket.protocol in the browser(the socket never opened)');
    await expect(subprotocol(ctx)).toContainText('RFC 6455 allows it, but browsers fail the handshake (WHATWG WebSockets)');
  },
  'not-offered': async (ctx) => {
    await ctx.page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(subprotocol(ctx)).toContainText('✗ the 101 selected “not-offered”, which the browser never offered');
  },
  'no-protocol': async (ctx) => {
    await ctx.page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(subprotocol(ctx)).toContainText('Selected in the 101 (Sec-WebSocket-Protocol)(none)');
  },
};

const COMPRESSIBLE = 'compress me, compress me, compress me, compress me';
const REPEATED = 'The quick brown fox jumps over the lazy dog while the WebSocket keeps its window.';

export const permessageDeflate: ExtraChecks = {
  off: async (ctx) => {
    await expect(statusOpen(ctx.page, ctx.conn())).toContainText('extensions “”');
    await expect(messageRow(ctx.page, 'echo → browser', 'plain as it is')).toContainText('000');
    expect(framesOf(ctx.recorded(), { from: 'echo' }).filter((f) => f.opcode === 1).every((f) => !f.rsv1 && f.inflated === undefined)).toBe(true);
    await ctx.page.getByRole('tab', { name: 'Handshake' }).click();
    const extensions = ctx.page.getByLabel('Extensions', { exact: true });
    await expect(extensions).toContainText('Extensions the browser offeredpermessage-deflateclient_max_window_bits');
    await expect(extensions).toContainText('Accepted in the 101 (Sec-WebSocket-Extensions)(none)');
    await expect(extensions).toContainText('Nothing was agreed, so every frame travels uncompressed and RSV1 must stay 0');
  },
  agreed: async (ctx) => {
    await expect(statusOpen(ctx.page, ctx.conn())).toContainText('extensions “permessage-deflate”');
    await ctx.page.getByRole('tab', { name: 'Handshake' }).click();
    const extensions = ctx.page.getByLabel('Extensions', { exact: true });
    await expect(extensions).toContainText('client_max_window_bits: the client can use a smaller LZ77 window if the server asks for one');
    await expect(extensions).toContainText('No parameters: both sides keep their compression context from message to message (context takeover)');
    await expect(extensions).toContainText('WebSocket.extensions in the browser“permessage-deflate”');
  },
  compressed: async (ctx) => {
    const { page } = ctx;
    await expect(messageRow(page, 'echo → browser', 'compress me, compress me')).toContainText('100');
    await expect(page.getByRole('table', { name: 'Frame header bits' }).getByRole('cell', { name: /^RSV1/ })).toContainText('1');
    for (const from of ['browser', 'echo'] as const) {
      const [f] = framesOf(ctx.recorded(), { from, seenBy: 'echo' }).filter((x) => x.opcode === 1);
      expect(f).toMatchObject({ rsv1: true, fin: true });
      expect(f!.length).toBeLessThan(COMPRESSIBLE.length);
      expect(Buffer.from(f!.payload, 'base64').toString()).not.toBe(COMPRESSIBLE);
    }
    const frame = framesOf(ctx.recorded(), { from: 'echo', seenBy: 'echo' }).find((x) => x.opcode === 1)!;
    await expect(page.getByLabel('Compression')).toHaveText(
      `permessage-deflate: RSV1 is set, so the payload is compressed: ${frame.length} bytes on the wire inflate to ${COMPRESSIBLE.length} bytes ` +
        `(${Math.round((frame.length / COMPRESSIBLE.length) * 100)}% of the inflated size).`,
    );
    await expect(page.getByRole('region', { name: 'Inflated text (UTF-8)' })).toContainText(COMPRESSIBLE);
    await expect(page.getByRole('heading', { name: 'Payload as sent (compressed): hex dump' })).toBeVisible();
  },
  takeover: async (ctx) => {
    // In each direction the 2nd and 3rd of the same sentence are far smaller than the 1st, all inflating to it.
    for (const from of ['browser', 'echo'] as const) {
      const frames = framesOf(ctx.recorded(), { from, seenBy: 'echo' }).filter((f) => f.opcode === 1).slice(1);
      expect(frames.map((f) => f.rsv1)).toEqual([true, true, true]);
      expect(frames.map((f) => Buffer.from(f.inflated!, 'base64').toString())).toEqual([REPEATED, REPEATED, REPEATED]);
      const [first, second, third] = frames.map((f) => f.length) as [number, number, number];
      expect(second).toBeLessThan(first / 3);
      expect(third).toBeLessThanOrEqual(second);
    }
    const third = framesOf(ctx.recorded(), { from: 'echo', seenBy: 'echo' }).filter((f) => f.opcode === 1)[3]!;
    await messageRow(ctx.page, 'echo → browser', 'The quick brown fox').nth(2).click();
    await expect(ctx.page.getByLabel('Compression')).toContainText(`${third.length} bytes on the wire inflate to ${REPEATED.length} bytes`);
    await expect(ctx.page.getByRole('region', { name: 'Inflated text (UTF-8)' })).toContainText(REPEATED);
  },
};

/** What the composer says when the browser refuses close(code): its DOMException, explained. */
const refusedCode = (code: number, means: string) => async (ctx: StepContext) => {
  await expect(ctx.page.getByRole('alert').filter({ hasText: 'The browser refused' })).toHaveText(
    `The browser refused close(${code}) with InvalidAccessError: a page may only send 1000 or 3000–4999, and ${code} means “${means}”. ` +
      `Nothing was sent. The browser said: “Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither.”`,
  );
};

const pageErrors: Error[] = [];

export const clientCloseCodes: ExtraChecks = {
  open: async ({ page }) => {
    pageErrors.length = 0;
    page.on('pageerror', (e) => pageErrors.push(e));
  },
  '1005': refusedCode(1005, 'no status received'),
  '1006': refusedCode(1006, 'abnormal closure (no close frame)'),
  '999': refusedCode(999, 'not a valid close code'),
  '5000': refusedCode(5000, 'not a valid close code'),
  'reason-124': async ({ page }) => {
    await expect(page.getByRole('alert').filter({ hasText: 'The browser refused' })).toHaveText(
      'The browser refused the reason with SyntaxError: it is 124 bytes of UTF-8 and a close frame has room for 123 (a control frame carries ' +
        'at most 125 payload bytes, 2 of them the code: RFC 6455 §5.5). Nothing was sent. ' +
        "The browser said: “Failed to execute 'close' on 'WebSocket': The close reason must not be greater than 123 UTF-8 bytes.”",
    );
  },
  'reason-utf8': async ({ page }) => {
    await expect(page.getByRole('alert').filter({ hasText: 'The browser refused' })).toContainText('it is 124 bytes of UTF-8');
  },
  'still-works': async ({ chromium, conn }) => {
    expect(pageErrors).toEqual([]);
    await expect.poll(() => chromium.socket(conn()).received).toEqual(['still open']);
  },
  'close-1000': async (ctx) => {
    await closeEventShown(ctx, 'CloseEvent 1000 “done” wasClean true');
    await expect(ctx.page.getByRole('region', { name: 'Close frames' })).toContainText('browser → echo seen by the echo server: 1000');
    await expect(ctx.page.getByRole('region', { name: 'Close frames' })).toContainText('echo → browser seen by the echo server: 1000');
    expect(ctx.chromium.console).toEqual([]);
    expect(browserOpenOf(ctx.recorded())).toBeDefined();
  },
  'close-4000': async (ctx) => {
    await closeEventShown(ctx, 'CloseEvent 4000 “game over” wasClean true');
    expect(framesOf(ctx.recorded(), { seenBy: 'echo' }).filter((f) => f.opcode === 8).map((f) => [f.from, f.masked, f.close?.code, f.close?.reason])).toEqual([
      ['browser', true, 4000, 'game over'],
      ['echo', false, 4000, 'game over'],
    ]);
    expect(ctx.chromium.console).toEqual([]);
  },
};
