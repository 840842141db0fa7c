import { connect, expect, findings, recorded, responseSentBy, statusClosed, test, watchChromium, expectChromiumFailed } from './lesson-kit.ts';

// Lesson: a 101 the browser must refuse. The echo server breaks one rule of the opening
// handshake on purpose (fault=…); Chromium checks the response (RFC 6455 §4.1), fails the
// connection before the page's 'open', and tells the page only "1006". The lab shows the
// response it refused and says why; the console line is Chromium's own reason, which a page
// cannot read.

test.describe('handshake faults: the browser refuses the response', () => {
  test('wrong Sec-WebSocket-Accept: computed from another key', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const { conn, url } = await connect(page, { fault: 'wrong-accept' });

    // The user sees the page's socket fail, and the lab's check of the Accept value.
    await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
    await page.getByRole('tab', { name: 'Handshake' }).click();
    await expect(page.getByLabel('Sec-WebSocket-Accept check')).toContainText('✗ mismatch: the browser fails the handshake');
    await expect(findings(page)).toContainText(
      /The echo server's 101 carried Sec-WebSocket-Accept \S+, but the key \S+ requires \S+, so the handshake failed and the browser reports 1006\./,
    );
    await page.getByRole('tab', { name: 'Close' }).click();
    await expect(page.getByText('CloseEvent 1006 “” wasClean false')).toBeVisible();

    // Chromium: no open event, its reason on the console, and the same CloseEvent the lab shows.
    const why = "Error during WebSocket handshake: Incorrect 'Sec-WebSocket-Accept' header value";
    await expectChromiumFailed(lab, page, chromium, conn, url, why);
    expect(recorded(lab, page, conn).events.some((e) => e.kind === 'open')).toBe(false);
  });

  test("missing Upgrade: a 101 that does not say it switched to 'websocket'", async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const { conn, url } = await connect(page, { fault: 'missing-upgrade' });

    await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const response = page.getByLabel('response as seen by echo');
    await expect(response).toContainText('HTTP/1.1 101 Switching Protocols');
    await expect(response).not.toContainText('Upgrade: websocket');
    // The Accept value is right: only the Upgrade header is missing.
    await expect(page.getByLabel('Sec-WebSocket-Accept check')).toContainText('✓ match');
    await expect(findings(page)).toContainText(
      'The echo server answered 101 Switching Protocols with no Upgrade header instead of Upgrade: websocket, so the handshake failed and the browser reports 1006.',
    );

    const why = "Error during WebSocket handshake: 'Upgrade' header is missing";
    await expectChromiumFailed(lab, page, chromium, conn, url, why);
    const sent = responseSentBy(recorded(lab, page, conn), 'echo')!;
    expect(sent.status).toBe(101);
    expect(sent.headers.map(([name]) => name.toLowerCase())).not.toContain('upgrade');
  });

  test('200 instead of 101: the server never switched protocols', async ({ labPage: page, lab }) => {
    const chromium = await watchChromium(page);
    const { conn, url } = await connect(page, { fault: 'status-200' });

    await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
    await page.getByRole('tab', { name: 'Handshake' }).click();
    const response = page.getByLabel('response as seen by echo');
    await expect(response).toContainText('HTTP/1.1 200 OK');
    await expect(response).toContainText('this is not a WebSocket endpoint');
    await expect(page.getByRole('region', { name: 'Negotiated in the handshake' })).toContainText('(no 101: 200 OK)');
    await expect(findings(page)).toContainText(
      'The echo server answered 200 OK instead of 101 Switching Protocols, so the handshake failed and the browser reports 1006.',
    );

    const why = 'Error during WebSocket handshake: Unexpected response code: 200';
    await expectChromiumFailed(lab, page, chromium, conn, url, why);
  });
});
