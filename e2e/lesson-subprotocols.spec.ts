import type { Page } from '@playwright/test';
import {
  connect,
  expect,
  failedLine,
  findings,
  recorded,
  requestSeenBy,
  responseSentBy,
  statusClosed,
  statusOpen,
  test,
  watchChromium,
  expectChromiumFailed,
} from './lesson-kit.ts';
import { headerValue } from '../server/src/wire/http-head.ts';

// Lesson: subprotocols. The page passes a list to `new WebSocket(url, protocols)`; Chromium
// sends it as Sec-WebSocket-Protocol in that order; the server picks one it speaks, the first
// in the client's order (RFC 6455 §4.2.2), and names it in the 101; the page reads it as
// WebSocket.protocol. Then the two ways a server gets it wrong, and what Chromium does.

const subprotocol = (page: Page) => page.getByLabel('Subprotocol', { exact: true });

test.describe('subprotocols', () => {
  test("the server picks by the client's order, and both sides agree", async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);

    for (const [offer, chosen] of [
      ['chat.v2, chat.v1', 'chat.v2'],
      ['chat.v1, chat.v2', 'chat.v1'],
    ] as const) {
      // The server accepts both (protocols=chat.v2,chat.v1 or chat.v1,chat.v2): only the client's order differs.
      const { conn } = await connect(page, { subprotocols: offer, serverAcceptsProtocols: true });
      await expect(statusOpen(page, conn)).toContainText(`protocol “${chosen}”`);
      await page.getByRole('tab', { name: 'Handshake' }).click();
      const dl = subprotocol(page);
      await expect(dl).toContainText(`Subprotocols the browser offered${offer}`);
      await expect(dl).toContainText(`Selected in the 101 (Sec-WebSocket-Protocol)${chosen}`);
      await expect(dl).toContainText(`WebSocket.protocol in the browser“${chosen}”`);
      await expect(dl).toContainText(`✓ both sides speak “${chosen}”`);
      await expect(page.getByText(`WebSocket open: protocol “${chosen}”`)).toBeVisible();

      // Chromium: it offered the list in the page's order, read the 101's choice, and told the page.
      const connection = recorded(lab, page, conn);
      expect(headerValue(requestSeenBy(connection, 'echo')!.headers, 'sec-websocket-protocol')).toBe(offer);
      expect(headerValue(responseSentBy(connection, 'echo')!.headers, 'sec-websocket-protocol')).toBe(chosen);
      await expect.poll(() => chromium.socket(conn).response?.headers['Sec-WebSocket-Protocol']).toBe(chosen);
      await expect.poll(() => recorded(lab, page, conn).events.find((e) => e.kind === 'open')).toMatchObject({ protocol: chosen });

      await page.getByRole('button', { name: 'Close from browser' }).click();
      await expect(statusClosed(page, conn, 1000, true)).toBeVisible();
    }
  });

  test('the server speaks none of them: its 101 selects nothing, and Chromium fails the handshake', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const { conn, url } = await connect(page, { subprotocols: 'chat.v2, chat.v1', serverAcceptsProtocols: false });
    await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const dl = subprotocol(page);
    await expect(dl).toContainText('Selected in the 101 (Sec-WebSocket-Protocol)(none)');
    await expect(dl).toContainText('WebSocket.protocol in the browser(the socket never opened)');
    await expect(dl).toContainText('RFC 6455 allows it, but browsers fail the handshake (WHATWG WebSockets)');
    await expect(findings(page)).toContainText(
      "The client offered subprotocols chat.v2, chat.v1, but the echo server's 101 selected none; browsers fail such a handshake and the browser reports 1006.",
    );

    const why = "Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received";
    await expectChromiumFailed(lab, page, chromium, conn, url, why);
  });

  test('fault protocol-not-offered: the 101 selects a subprotocol the page never offered', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const { conn, url } = await connect(page, { subprotocols: 'chat.v2, chat.v1', fault: 'protocol-not-offered' });
    await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
    await page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(subprotocol(page)).toContainText('✗ the 101 selected “not-offered”, which the browser never offered');
    await expect(findings(page)).toContainText(
      'The echo server selected subprotocol "not-offered", which the client never offered (it offered chat.v2, chat.v1), so the handshake failed and the browser reports 1006.',
    );
    const why = "Error during WebSocket handshake: 'Sec-WebSocket-Protocol' header value 'not-offered' in response does not match any of sent values";
    await expectChromiumFailed(lab, page, chromium, conn, url, why);

    // With nothing offered at all, Chromium words it differently.
    const none = await connect(page, { subprotocols: '', fault: 'protocol-not-offered' });
    await expect(statusClosed(page, none.conn, 1006, false)).toBeVisible();
    await expect(findings(page)).toContainText(
      'The echo server selected subprotocol "not-offered", which the client never offered (it offered none), so the handshake failed and the browser reports 1006.',
    );
    const whyNone = "Error during WebSocket handshake: Response must not include 'Sec-WebSocket-Protocol' header if not present in request: not-offered";
    expect(chromium.console).toContain(failedLine(none.url, whyNone));
    expect(chromium.socket(none.conn).errors).toEqual([whyNone]);
  });

  test('fault no-protocol: the server accepts the offer but its 101 leaves Sec-WebSocket-Protocol out', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const { conn, url } = await connect(page, { subprotocols: 'chat.v2, chat.v1', serverAcceptsProtocols: true, fault: 'no-protocol' });
    await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
    await page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(subprotocol(page)).toContainText('Selected in the 101 (Sec-WebSocket-Protocol)(none)');
    await expect(findings(page)).toContainText(
      "The client offered subprotocols chat.v2, chat.v1, but the echo server's 101 selected none; browsers fail such a handshake and the browser reports 1006.",
    );
    const why = "Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received";
    await expectChromiumFailed(lab, page, chromium, conn, url, why);
    expect(headerValue(responseSentBy(recorded(lab, page, conn), 'echo')!.headers, 'sec-websocket-protocol')).toBeUndefined();
  });
});
