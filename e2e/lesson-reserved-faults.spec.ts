import type { Page } from '@playwright/test';
import type { Lab } from '../server/src/lab.ts';
import {
  connect,
  expect,
  expectChromiumFailed,
  findings,
  framesOf,
  recorded,
  statusClosed,
  test,
  text,
  watchChromium,
} from './lesson-kit.ts';

// Lesson: what RFC 6455 keeps for later or for local use, sent anyway by a server. An
// extension the browser never offered, a reserved opcode, a close code that only reports a
// closure locally, a fragmented ping, RSV2 set: Chromium fails the connection on each, prints
// why, and tells the page only 1006. The lab's findings must say the same thing Chromium did.

/** Connects with `fault` and waits for the page's 1006; answers whether the page saw 'open' first. */
async function failWith(page: Page, lab: Lab, fault: string) {
  const chromium = await watchChromium(page);
  const { conn, url } = await connect(page, { fault });
  await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
  const opened = recorded(lab, page, conn).events.some((e) => e.observer === 'browser' && e.kind === 'open');
  return { chromium, conn, url, opened };
}

/** The echo server's frames to the browser, and the close frame Chromium sent back, as the tap recorded them. */
function wire(lab: Lab, page: Page, conn: string) {
  const frames = framesOf(recorded(lab, page, conn));
  return {
    fromServer: frames.filter((f) => f.from === 'echo' && f.observer === 'echo'),
    browserClose: frames.find((f) => f.from === 'browser' && f.opcode === 0x8)?.close,
  };
}

test.describe('reserved and unknown: the server sends what RFC 6455 forbids', () => {
  test('an extension the browser never offered', async ({ labPage: page, lab }) => {
    const { chromium, conn, url, opened } = await failWith(page, lab, 'unknown-extension');
    await expectChromiumFailed(lab, page, chromium, conn, url,
      "Error during WebSocket handshake: Found an unsupported extension 'x-webkit-deflate-frame' in 'Sec-WebSocket-Extensions' header");
    // The handshake itself failed: no 'open', no frame either way.
    expect(opened).toBe(false);
    expect(framesOf(recorded(lab, page, conn))).toEqual([]);
    await expect(findings(page)).toContainText(
      "The echo server's 101 agreed to the extension x-webkit-deflate-frame, which the browser never offered (it offered permessage-deflate), so the handshake failed and the browser reports 1006.",
    );
  });

  test('a reserved opcode', async ({ labPage: page, lab }) => {
    const { chromium, conn, url, opened } = await failWith(page, lab, 'reserved-opcode');
    await expectChromiumFailed(lab, page, chromium, conn, url, 'Unrecognized frame opcode: 3');
    expect(opened).toBe(true);
    expect(chromium.socket(conn).received).toEqual([]);
    const { fromServer, browserClose } = wire(lab, page, conn);
    expect(fromServer[0]).toMatchObject({ opcode: 3, fin: true });
    expect(text(fromServer[0]!.payload)).toBe('opcode 3');
    expect(browserClose).toEqual({ code: 1002, reason: 'Unknown opcode' });
    await expect(findings(page)).toContainText(
      'The echo server sent a frame with opcode 3 (0x3), which is reserved, so the client failed the connection and the browser reports 1006.',
    );
  });

  test('close code 1005 on the wire', async ({ labPage: page, lab }) => {
    const { chromium, conn, url, opened } = await failWith(page, lab, 'close-1005');
    await expectChromiumFailed(lab, page, chromium, conn, url, 'Received a broken close frame containing a reserved status code.');
    expect(opened).toBe(true);
    // 1005 travelled, the page was told 1006: the code on the wire never reaches a page that failed.
    const { fromServer, browserClose } = wire(lab, page, conn);
    expect(fromServer[0]).toMatchObject({ opcode: 0x8, close: { code: 1005, reason: '' } });
    expect(browserClose).toEqual({ code: 1002, reason: '' });
    await expect(findings(page)).toContainText(
      'The echo server sent a close frame with code 1005, which may never be sent on the wire, so the client failed the connection and the browser reports 1006.',
    );
  });

  test('a fragmented ping', async ({ labPage: page, lab }) => {
    const { chromium, conn, url, opened } = await failWith(page, lab, 'fragmented-ping');
    await expectChromiumFailed(lab, page, chromium, conn, url, 'Invalid frame header');
    expect(opened).toBe(true);
    const { fromServer, browserClose } = wire(lab, page, conn);
    expect(fromServer[0]).toMatchObject({ opcode: 0x9, fin: false });
    expect(browserClose).toEqual({ code: 1002, reason: 'WebSocket Protocol Error' });
    await expect(findings(page)).toContainText(
      'The echo server sent a ping frame with FIN clear, a fragmented control frame, so the client failed the connection and the browser reports 1006.',
    );
  });

  test('RSV2 set', async ({ labPage: page, lab }) => {
    const { chromium, conn, url, opened } = await failWith(page, lab, 'rsv2-set');
    await expectChromiumFailed(lab, page, chromium, conn, url, 'One or more reserved bits are on: reserved1 = 0, reserved2 = 1, reserved3 = 0');
    expect(opened).toBe(true);
    const { fromServer, browserClose } = wire(lab, page, conn);
    expect(fromServer[0]).toMatchObject({ opcode: 0x1, rsv1: false, rsv2: true, rsv3: false });
    expect(browserClose).toEqual({ code: 1002, reason: 'Invalid reserved bit' });
    await expect(findings(page)).toContainText(
      'The echo server sent a text frame with RSV2 set although no extension was negotiated, so the client failed the connection and the browser reports 1006.',
    );
  });

  test('no reset finding beside a fault Chromium failed on', async ({ labPage: page, lab }) => {
    // Chromium drops TCP right after its close frame; whether the echo server then sees
    // ECONNRESET is a matter of timing, so the findings must not depend on it.
    for (const fault of ['masked-frame', 'rsv1-without-extension', 'invalid-utf8', 'control-too-long']) {
      const { conn } = await failWith(page, lab, fault);
      await expect(findings(page)).toContainText('so the client failed the connection and the browser reports 1006.');
      await expect(findings(page)).not.toContainText('ECONNRESET');
      await expect(findings(page)).not.toContainText('EPIPE');
      expect(recorded(lab, page, conn).events.some((e) => e.observer === 'browser' && e.kind === 'open')).toBe(true);
    }
  });
});
