import type { CDPSession, Locator, Page } from '@playwright/test';
import type { Lab } from '../server/src/lab.ts';
import type { Connection, RequestEvent } from '../server/src/transcript/types.ts';
import { expect, sessionOf, test } from './fixtures.ts';

// What the specs share: filling the connect form as a user would, and watching what
// Chromium itself reports about the same WebSockets, to cross-check the lab's account.

export { expect, sessionOf, test };

/** One WebSocket as Chromium reported it, through Playwright's `websocket` event and the CDP Network domain. */
export interface ChromiumSocket {
  url: string;
  sent: string[];
  received: string[];
  /** Playwright's `socketerror`: Chromium's reason for failing the connection. */
  errors: string[];
  closed: boolean;
  /** Date.now() when Chromium created the socket, and when it closed (0 until then). */
  createdAt: number;
  closedAt: number;
  /** `Network.webSocketWillSendHandshakeRequest`: the headers Chromium says it sent. */
  request?: Record<string, string>;
  /** `Network.webSocketHandshakeResponseReceived`: the response Chromium read (Chromium 156 reports none for a failed handshake). */
  response?: { status: number; headers: Record<string, string> };
}

export interface ChromiumWatch {
  sockets: ChromiumSocket[];
  /** Console errors, as Chromium prints them ("WebSocket connection to '…' failed: …"). */
  console: string[];
  /** The one socket opened to a URL carrying `conn=<id>`; throws unless there is exactly one. */
  socket(conn: string): ChromiumSocket;
  /** The socket for `conn` if Chromium has reported it yet (for polling). */
  find(conn: string): ChromiumSocket | undefined;
}

/** Starts watching before the lesson connects; call it first. */
export async function watchChromium(page: Page): Promise<ChromiumWatch> {
  const sockets: ChromiumSocket[] = [];
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('websocket', (ws) => {
    const socket: ChromiumSocket = { url: ws.url(), sent: [], received: [], errors: [], closed: false, createdAt: Date.now(), closedAt: 0 };
    sockets.push(socket);
    ws.on('framesent', (f) => socket.sent.push(String(f.payload)));
    ws.on('framereceived', (f) => socket.received.push(String(f.payload)));
    ws.on('socketerror', (e) => socket.errors.push(e));
    ws.on('close', () => {
      socket.closed = true;
      socket.closedAt = Date.now();
    });
  });
  // CDP events and Playwright's `websocket` event come on different sessions, in no fixed order: keep CDP's by URL.
  const handshakes = new Map<string, Pick<ChromiumSocket, 'request' | 'response'>>();
  const urls = new Map<string, string>();
  const handshake = (requestId: string) => {
    const url = urls.get(requestId) ?? '';
    const seen = handshakes.get(url) ?? {};
    handshakes.set(url, seen);
    return seen;
  };
  const cdp: CDPSession = await page.context().newCDPSession(page);
  cdp.on('Network.webSocketCreated', (e: { requestId: string; url: string }) => urls.set(e.requestId, e.url));
  cdp.on('Network.webSocketWillSendHandshakeRequest', (e: { requestId: string; request: { headers: Record<string, string> } }) => {
    handshake(e.requestId).request = e.request.headers;
  });
  cdp.on('Network.webSocketHandshakeResponseReceived', (e: { requestId: string; response: { status: number; headers: Record<string, string> } }) => {
    handshake(e.requestId).response = { status: e.response.status, headers: e.response.headers };
  });
  await cdp.send('Network.enable');
  return {
    sockets,
    console: consoleErrors,
    socket(conn) {
      const found = sockets.filter((s) => new URL(s.url).searchParams.get('conn') === conn);
      if (found.length !== 1) throw new Error(`expected one WebSocket for ${conn}, Chromium reported ${found.length}`);
      return Object.assign(found[0]!, handshakes.get(found[0]!.url));
    },
    find: (conn) => sockets.find((s) => new URL(s.url).searchParams.get('conn') === conn),
  };
}

/** The connect form's fields, as a user sets them; anything omitted keeps its default. */
export interface ConnectFields {
  route?: string;
  subprotocols?: string;
  serverAcceptsProtocols?: boolean;
  deflate?: boolean;
  strict?: boolean;
  origin?: string;
  fault?: string;
}

/**
 * Opens the connect bar's Options popover, runs `fill` while it is open, and closes it with Done.
 * Subprotocols, deflate, strict, heartbeat, origin and fault live there.
 */
export async function withConnectOptions(page: Page, fill: (options: Locator) => Promise<void>): Promise<void> {
  const options = page.getByRole('dialog', { name: 'Connection options' });
  if (!(await options.isVisible())) await page.getByRole('button', { name: /^Options/ }).click();
  await expect(options).toBeVisible();
  await fill(options);
  await options.getByRole('button', { name: 'Done' }).click();
  await expect(options).toBeHidden();
}

/** Fills the connect form, presses Connect, and returns the URL it opened and the connection id that URL carries. */
export async function connect(page: Page, fields: ConnectFields = {}): Promise<{ conn: string; url: string }> {
  if (fields.route !== undefined) await page.getByLabel('Route').selectOption(fields.route);
  await withConnectOptions(page, async (options) => {
    if (fields.subprotocols !== undefined) await options.getByLabel('Subprotocols').fill(fields.subprotocols);
    if (fields.serverAcceptsProtocols !== undefined) await options.getByLabel('Server accepts them (protocols=)').setChecked(fields.serverAcceptsProtocols);
    if (fields.deflate !== undefined) await options.getByLabel('Deflate (permessage-deflate)').setChecked(fields.deflate);
    if (fields.strict !== undefined) await options.getByLabel('Strict (refuse what RFC 6455 §4 forbids)').setChecked(fields.strict);
    if (fields.origin !== undefined) await options.getByLabel('Origin policy').fill(fields.origin);
    await options.getByLabel('Fault', { exact: true }).selectOption(fields.fault ?? '');
  });
  const url = (await page.getByLabel('URL it will open').textContent()) ?? '';
  const conn = new URL(url).searchParams.get('conn');
  if (!conn) throw new Error(`the URL the form shows carries no conn: ${url}`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  return { conn, url };
}

/** A message in the Frames tab's list whose row shows every one of `texts` (direction, opcode, payload…). */
export function messageRow(page: Page, ...texts: string[]): Locator {
  let row = page.getByRole('listbox', { name: 'Messages' }).getByRole('option');
  for (const text of texts) row = row.filter({ hasText: text });
  return row;
}

/** Opens the composer's "Ask the echo server" section (server close, ping, fragments, terminate). */
export async function openServerActions(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: /Ask the echo server/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/**
 * The middle of most lessons, once Connect was pressed: wait for open, send `message`, hear
 * it back (as Chromium reports it), close from the browser with `code` and `reason`, and see
 * the CloseEvent in the Close tab.
 */
export async function echoThenClose(page: Page, chromium: ChromiumWatch, message: string, code: number, reason: string): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
  await page.getByLabel('Message text').fill(message);
  await page.getByRole('button', { name: 'Send text' }).click();
  await expect.poll(() => chromium.sockets.flatMap((s) => s.received)).toContain(message);
  await page.getByLabel('Client close code').fill(String(code));
  await page.getByLabel('Client close reason').fill(reason);
  await page.getByRole('button', { name: 'Close from browser' }).click();
  await page.getByRole('tab', { name: 'Close' }).click();
  await expect(page.getByText(`CloseEvent ${code} “${reason}” wasClean true`)).toBeVisible();
}

/** The status line once `conn` is open. */
export const statusOpen = (page: Page, conn: string): Locator => page.getByRole('status').filter({ hasText: `${conn} is open` });

/** The status line once `conn` has closed with `code`. */
export const statusClosed = (page: Page, conn: string, code: number, wasClean: boolean): Locator =>
  page.getByRole('status').filter({ hasText: new RegExp(`${conn} closed with code ${code} “.*”, wasClean ${wasClean}`) });

/** The findings at the top of the connection, shown once. */
export const findings = (page: Page): Locator => page.getByRole('region', { name: 'Findings' }).first();

/** The lab's record of `conn`, read from the store the hops write to. */
export function recorded(lab: Lab, page: Page, conn: string): Connection {
  const connection = lab.store.read(sessionOf(page))?.connections.find((c) => c.id === conn);
  if (!connection) throw new Error(`the lab recorded no connection ${conn}`);
  return connection;
}

export const requestSeenBy = (c: Connection, observer: string) =>
  c.events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === observer);

/** Chromium's console line for a failed WebSocket, exactly as it prints it. */
export const failedLine = (url: string, why: string) => `WebSocket connection to '${url}' failed: ${why}`;

/** Waits until the lab has recorded the browser's CloseEvent for `conn`, and returns it. */
export async function browserClose(lab: Lab, page: Page, conn: string) {
  await expect.poll(() => recorded(lab, page, conn).events.some((e) => e.kind === 'close' && e.observer === 'browser')).toBe(true);
  const close = recorded(lab, page, conn).events.find((e) => e.kind === 'close' && e.observer === 'browser');
  return close as Extract<Connection['events'][number], { kind: 'close' }>;
}
