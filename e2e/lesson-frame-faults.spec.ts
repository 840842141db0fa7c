import type { Page } from '@playwright/test';
import type { Lab } from '../server/src/lab.ts';
import {
  browserClose,
  connect,
  expect,
  failedLine,
  findings,
  framesOf,
  messageRow,
  recorded,
  statusClosed,
  test,
  watchChromium,
  expectChromiumFailed,
} from './lesson-kit.ts';

// Lesson: frames a server must never send. The handshake succeeds, the page sees 'open', and
// then the echo server writes one frame that breaks RFC 6455 (fault=…). Chromium fails the
// connection: it sends a close frame of its own (1002, with its reason), drops TCP without
// waiting for the answer, and tells the page 1006 with wasClean false. Only the lab's tap
// sees the close frame Chromium sent; the console line is Chromium's reason.

/** Connects with `fault`, waits for the 1006 the page reports, and checks the page saw 'open' first. */
async function openThenFail(page: Page, lab: Lab, fault: string) {
  const chromium = await watchChromium(page);
  const { conn, url } = await connect(page, { fault });
  await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
  await expect.poll(() => recorded(lab, page, conn).events.some((e) => e.observer === 'browser' && e.kind === 'open')).toBe(true);
  return { chromium, conn, url };
}

/** Chromium's own close frame, as the echo server's tap recorded it, and the echo server's answer. */
function closeFrames(lab: Lab, page: Page, conn: string) {
  return framesOf(recorded(lab, page, conn))
    .filter((f) => f.opcode === 0x8)
    .map((f) => [f.from, f.close?.code, f.close?.reason]);
}

async function expectBrowserClose(page: Page, code: number, reason: string) {
  await page.getByRole('tab', { name: 'Close' }).click();
  await expect(page.getByText('CloseEvent 1006 “” wasClean false')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Close frames' })).toContainText(
    `browser → echo seen by the echo server: ${code} (protocol error) reason “${reason}”`,
  );
}

test.describe('frame faults: the browser fails an open connection', () => {
  test('masked frame from the server', async ({ labPage: page, lab }) => {
    const { chromium, conn, url } = await openThenFail(page, lab, 'masked-frame');

    // The frame as the tap saw it: MASK set, with the key the server used.
    await page.getByRole('tab', { name: 'Frames' }).click();
    await page.getByRole('option').filter({ hasText: 'masked by the server' }).click();
    await expect(page.getByText('Masking key: 01020304')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Frame header bits' }).getByRole('cell', { name: /^MASK/ })).toContainText('1');
    await expect(findings(page)).toContainText(
      'The echo server sent a masked text frame (mask key 01020304); servers must not mask, so the client failed the connection and the browser reports 1006.',
    );
    await expectBrowserClose(page, 1002, 'Masked frame from server');

    const why = 'A server must not mask any frames that it sends to the client.';
    expect(chromium.console).toContain(failedLine(url, why));
    expect(chromium.socket(conn).errors).toEqual([why]);
    // Chromium passes no message to the page: the frame never reached 'message'.
    expect(chromium.socket(conn).received).toEqual([]);
    expect(await browserClose(lab, page, conn)).toMatchObject({ code: 1006, wasClean: false });
    expect(closeFrames(lab, page, conn)).toEqual([
      ['browser', 1002, 'Masked frame from server'],
      ['echo', 1002, 'Masked frame from server'],
    ]);
  });

  test('RSV1 set without a negotiated extension', async ({ labPage: page, lab }) => {
    const { chromium, conn, url } = await openThenFail(page, lab, 'rsv1-without-extension');

    await page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(page.getByRole('definition').filter({ hasText: 'Nothing was agreed, so every frame travels uncompressed' })).toBeVisible();
    await page.getByRole('tab', { name: 'Frames' }).click();
    await page.getByRole('option').filter({ hasText: 'echo → browser' }).filter({ hasText: 'text' }).click();
    await expect(page.getByText('first two bytes 0xc1 0x08')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Frame header bits' }).getByRole('cell', { name: /^RSV1/ })).toContainText('1');
    await expect(findings(page)).toContainText(
      'The echo server sent a text frame with RSV1 set although no extension was negotiated, so the client failed the connection and the browser reports 1006.',
    );
    await expectBrowserClose(page, 1002, 'Invalid reserved bit');

    const why = 'One or more reserved bits are on: reserved1 = 1, reserved2 = 0, reserved3 = 0';
    await expectChromiumFailed(lab, page, chromium, conn, url, why);
    expect(closeFrames(lab, page, conn)).toEqual([
      ['browser', 1002, 'Invalid reserved bit'],
      ['echo', 1002, 'Invalid reserved bit'],
    ]);
  });

  test('invalid UTF-8 in a text frame', async ({ labPage: page, lab }) => {
    const { chromium, conn, url } = await openThenFail(page, lab, 'invalid-utf8');

    await page.getByRole('tab', { name: 'Frames' }).click();
    // The echo server's first frame is the fault; its last is its answer to Chromium's close.
    await page.getByRole('option').filter({ hasText: 'echo → browser' }).first().click();
    await expect(page.getByText('Not valid UTF-8 (a text message must be, RFC 6455 §8.1).')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Payload hex dump' })).toContainText('48 69 ff fe');
    await expect(findings(page)).toContainText(
      'The echo server sent a text message that is not valid UTF-8, so the client failed the connection and the browser reports 1006.',
    );
    // RFC 6455 §7.4.1 names 1007 for this; Chromium 156 sends 1002.
    await expectBrowserClose(page, 1002, 'Invalid UTF-8 in text frame');

    const why = 'Could not decode a text frame as UTF-8.';
    await expectChromiumFailed(lab, page, chromium, conn, url, why);
    expect(closeFrames(lab, page, conn)).toEqual([
      ['browser', 1002, 'Invalid UTF-8 in text frame'],
      ['echo', 1002, 'Invalid UTF-8 in text frame'],
    ]);
  });

  test('a control frame over 125 bytes', async ({ labPage: page, lab }) => {
    const { chromium, conn, url } = await openThenFail(page, lab, 'control-too-long');

    await page.getByRole('tab', { name: 'Frames' }).click();
    await messageRow(page, 'ping').click();
    const bits = page.getByRole('table', { name: 'Frame header bits' });
    await expect(bits.getByRole('cell', { name: /^Payload len \(7\)/ })).toContainText('126: 16-bit length follows');
    await expect(bits.getByRole('cell', { name: /^Extended payload length \(16\)/ })).toContainText('126');
    await expect(findings(page)).toContainText(
      'The echo server sent a ping frame carrying 126 bytes, more than the 125 a control frame may hold, so the client failed the connection and the browser reports 1006.',
    );
    await expectBrowserClose(page, 1002, 'WebSocket Protocol Error');

    const why = 'Invalid frame header';
    await expectChromiumFailed(lab, page, chromium, conn, url, why);
    expect(closeFrames(lab, page, conn)).toEqual([
      ['browser', 1002, 'WebSocket Protocol Error'],
      ['echo', 1002, 'WebSocket Protocol Error'],
    ]);
  });

  test('TCP closed without a close frame', async ({ labPage: page, lab }) => {
    const { chromium, conn, url } = await openThenFail(page, lab, 'close-without-frame');

    await page.getByRole('tab', { name: 'Close' }).click();
    await expect(page.getByText('CloseEvent 1006 “” wasClean false')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Close frames' })).toContainText('No close frame was sent: the connection ended without a closing handshake.');
    await expect(findings(page)).toContainText(
      'The echo server closed the TCP connection without sending a close frame, so the browser reports 1006 with wasClean false.',
    );

    // Not a failure in Chromium's eyes: no error event, no console line, just a close.
    expect(chromium.console.filter((line) => line.includes(url))).toEqual([]);
    expect(chromium.socket(conn).errors).toEqual([]);
    expect(chromium.socket(conn).closed).toBe(true);
    const browser = recorded(lab, page, conn).events.filter((e) => e.observer === 'browser').map((e) => e.kind);
    expect(browser.sort()).toEqual(['close', 'open']);
    expect(await browserClose(lab, page, conn)).toMatchObject({ code: 1006, reason: '', wasClean: false });
    expect(closeFrames(lab, page, conn)).toEqual([]);
  });
});
