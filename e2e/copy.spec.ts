import WebSocket from 'ws';
import { connect, expect, findings, messageRow, recorded, requestSeenBy, sessionOf, statusClosed, statusOpen, test } from './lesson-kit.ts';
import type { Transcript } from '../server/src/transcript/types.ts';

// Lesson: anything shown can be copied with one click — a raw head, one header, a payload as
// text, hex or base64, the URL, a command that reproduces the connection from a terminal, and
// the fix. Each check reads the clipboard back.

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

const clipboard = (page: import('@playwright/test').Page) => page.evaluate(() => navigator.clipboard.readText());

test('a raw head, one header, the URL and a payload as text, hex and base64', async ({ labPage: page, lab }) => {
  const { conn, url } = await connect(page);
  await expect(statusOpen(page, conn)).toBeVisible();

  await page.getByRole('button', { name: 'Copy the connection URL' }).click();
  await expect.poll(() => clipboard(page)).toBe(url);
  await expect(page.getByRole('status').filter({ hasText: 'Copied the connection URL to the clipboard.' })).toBeVisible();

  // The request exactly as the echo server received it: CRLF after each line, a blank line at the end.
  await page.getByRole('tab', { name: 'Handshake' }).click();
  const request = requestSeenBy(recorded(lab, page, conn), 'echo')!;
  await page.getByRole('button', { name: 'Copy head' }).first().click();
  const head = [`GET ${request.target} HTTP/1.1`, ...request.headers.map(([n, v]) => `${n}: ${v}`)].join('\r\n') + '\r\n\r\n';
  await expect.poll(() => clipboard(page)).toBe(head);
  const host = page.getByLabel('request as seen by echo').getByText(/^Host: /);
  await host.hover();
  await page.getByRole('button', { name: 'Copy the Host header' }).first().click();
  await expect.poll(() => clipboard(page)).toBe(`Host: ${request.headers.find(([n]) => n === 'Host')![1]}`);

  await page.getByLabel('Message text').fill('Hi ✓');
  await page.getByRole('button', { name: 'Send text' }).click();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await messageRow(page, 'echo → browser', 'Hi ✓').click();
  const payload = page.getByRole('region', { name: 'Message payload' });
  await payload.getByRole('button', { name: 'Copy text' }).click();
  await expect.poll(() => clipboard(page)).toBe('Hi ✓');
  await payload.getByRole('button', { name: 'Copy hex' }).click();
  await expect.poll(() => clipboard(page)).toBe('48 69 20 e2 9c 93');
  await payload.getByRole('button', { name: 'Copy base64' }).click();
  await expect.poll(() => clipboard(page)).toBe(Buffer.from('Hi ✓').toString('base64'));
});

test('a websocat and a wscat command that open the same connection from a terminal', async ({ labPage: page, lab }) => {
  const { conn } = await connect(page, { subprotocols: 'chat.v2, chat.v1' });
  await expect(statusOpen(page, conn)).toBeVisible();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  // The commands read the handshake the echo server recorded: copy once it is on the page (the
  // page's own open event can come first).
  await expect(inspector.getByRole('group', { name: 'websocat command' })).toContainText('--protocol');
  await inspector.getByRole('button', { name: 'Copy websocat' }).click();
  const origin = new URL(page.url()).origin;
  const session = sessionOf(page);
  const terminalUrl = `ws://127.0.0.1:${lab.ports.echo}/echo?lab=${session}&protocols=chat.v2,chat.v1`;
  await expect.poll(() => clipboard(page)).toBe(`websocat --protocol 'chat.v2, chat.v1' --origin ${origin} '${terminalUrl}'`);
  await inspector.getByRole('button', { name: 'Copy wscat' }).click();
  await expect.poll(() => clipboard(page)).toBe(`npx wscat -c '${terminalUrl}' -s chat.v2 -s chat.v1 -o ${origin}`);

  // What the command does, done here with ws: the lab files it in the same session, beside the page's own.
  const ws = new WebSocket(terminalUrl, ['chat.v2', 'chat.v1'], { origin });
  ws.on('error', () => {});
  await new Promise((resolve) => ws.once('open', resolve));
  expect(ws.protocol).toBe('chat.v2');
  ws.close(1000, 'done');
  await expect(page.getByRole('listbox', { name: 'Connections' }).getByRole('option', { name: /^t-/ })).toContainText('closed 1000');
});

test('the fix, as the finding gives it', async ({ labPage: page }) => {
  const { conn } = await connect(page, { route: 'reverse-proxy:nginx-default' });
  await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
  await expect(findings(page)).toContainText('Fix:');
  const transcript = (await (await page.request.get(new URL(`/api/sessions/${sessionOf(page)}/transcript`, page.url()).href)).json()) as Transcript;
  const fix = transcript.connections.find((c) => c.id === conn)!.findings!.find((f) => f.fix)!.fix!;
  await findings(page).getByRole('button', { name: 'Copy the fix' }).first().click();
  await expect.poll(() => clipboard(page)).toBe(fix);
  expect(fix).toContain('proxy_set_header Upgrade');
});

test('a link to exactly this view', async ({ labPage: page }) => {
  const { conn } = await connect(page);
  await expect(statusOpen(page, conn)).toBeVisible();
  await page.getByRole('tab', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Session' }).click();
  await page.getByRole('button', { name: 'Copy link to this view' }).click();
  await expect.poll(() => clipboard(page)).toBe(page.url());
  expect(new URL(await clipboard(page)).searchParams.get('tab')).toBe('close');
});
