import { expect, sessionOf, test, watchChromium } from './lesson-kit.ts';
import type { CloseEvent, RequestEvent } from '../server/src/transcript/types.ts';

// Lesson: the same exchange, twice at once — straight to the echo server, and through the
// bundled proxy's nginx-default preset — side by side. One click opens both, sends the same
// message and closes with 1000. The direct one works; the proxied one is refused with 426,
// and the headers the echo server received show why: no Upgrade, Connection: close, HTTP/1.0.

test('compare: direct against nginx-default, side by side', async ({ labPage: page, lab }) => {
  const chromium = await watchChromium(page);

  // 1. Open the compare view, choose the preset and the message, and run.
  await page.getByRole('button', { name: 'Compare view' }).click();
  const compare = page.getByRole('region', { name: 'Compare' });
  await compare.getByLabel('Through').selectOption('reverse-proxy:nginx-default');
  await compare.getByLabel('Message').fill('same message, two routes');
  await compare.getByRole('button', { name: 'Compare direct with preset' }).click();

  // 2. Side by side: the outcome and the browser's close on each side.
  const table = compare.getByRole('table', { name: 'Side by side' });
  const row = (name: string) => table.getByRole('row', { name: new RegExp(`^${name}`) });
  const cells = (name: string) => row(name).getByRole('cell');
  await expect(cells('Browser close').nth(0)).toHaveText('CloseEvent 1000 “compare” wasClean true');
  await expect(cells('Browser close').nth(1)).toHaveText('CloseEvent 1006 “” wasClean false');
  await expect(cells('Outcome').nth(0)).toHaveText('open (101 Switching Protocols)');
  await expect(cells('Outcome').nth(1)).toHaveText('refused with 426 Upgrade Required');
  await expect(row('Outcome')).toContainText('differs');

  // The request line each echo server received, and the response each browser got.
  await expect(cells('Request line at the echo server').nth(0)).toHaveText('GET /echo?… HTTP/1.1');
  await expect(cells('Request line at the echo server').nth(1)).toHaveText('GET /nginx-default/echo?… HTTP/1.0');
  await expect(cells('Response the browser got').nth(0)).toContainText('HTTP/1.1 101 Switching Protocols');
  await expect(cells('Response the browser got').nth(1)).toContainText('HTTP/1.1 426 Upgrade Required');
  await expect(cells('Frames').nth(0)).toContainText('browser → echo server: text same message, two routes');
  await expect(cells('Frames').nth(0)).toContainText('echo server → browser: text same message, two routes');
  await expect(cells('Frames').nth(1)).toHaveText('no frames');

  // 3. The headers the echo server received, diffed: Upgrade only on the left, Connection changed.
  const headers = compare.getByRole('table', { name: 'Headers the echo server received' });
  const header = (name: string) => headers.getByRole('row', { name: new RegExp(`^${name} `) });
  await expect(header('Upgrade')).toContainText('only left');
  await expect(header('Upgrade')).toContainText('hop-by-hop');
  await expect(header('Connection').getByRole('cell').nth(0)).toHaveText('Upgrade');
  await expect(header('Connection').getByRole('cell').nth(1)).toHaveText('close');
  await expect(header('Host')).toContainText('unchanged');
  // Every connection sends a new key (RFC 6455 §4.1): shown, not counted as a difference.
  await expect(header('Sec-WebSocket-Key')).toContainText('new for every connection');

  // The two pickers name the connections the run opened.
  const left = await compare.getByLabel('Left connection').inputValue();
  const right = await compare.getByLabel('Right connection').inputValue();
  expect(left).toMatch(/^c-/);
  expect(right).toMatch(/^c-/);
  await expect(table.getByRole('columnheader', { name: `Left: ${left} (direct)` })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: `Right: ${right} (reverse-proxy · nginx-default)` })).toBeVisible();

  // Cross-check with the transcript: both connections, their echo requests and browser closes.
  const transcript = lab.store.read(sessionOf(page))!;
  const byId = (id: string) => transcript.connections.find((c) => c.id === id)!;
  expect(byId(left)).toMatchObject({ route: 'direct' });
  expect(byId(right)).toMatchObject({ route: 'reverse-proxy', preset: 'nginx-default' });
  const echoRequest = (id: string) => byId(id).events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === 'echo')!;
  expect(echoRequest(left).headers).toContainEqual(['Upgrade', 'websocket']);
  expect(echoRequest(right).headers.some(([n]) => n.toLowerCase() === 'upgrade')).toBe(false);
  const browserClose = (id: string) => byId(id).events.find((e): e is CloseEvent => e.kind === 'close' && e.observer === 'browser');
  expect(browserClose(left)).toMatchObject({ code: 1000, reason: 'compare', wasClean: true });
  expect(browserClose(right)).toMatchObject({ code: 1006, wasClean: false });

  // Cross-check with Chromium: the direct socket got its echo; the proxied one failed on the 426.
  expect(chromium.socket(left).received).toEqual(['same message, two routes']);
  expect(chromium.socket(right).received).toEqual([]);
  expect(chromium.socket(right).errors.join('\n')).toContain('426');
  await expect.poll(() => [chromium.find(left)?.closed, chromium.find(right)?.closed]).toEqual([true, true]);

  // 4. Or pick any two: swap the sides with the pickers, and the columns follow.
  await compare.getByLabel('Left connection').selectOption(right);
  await compare.getByLabel('Right connection').selectOption(left);
  await expect(cells('Outcome').nth(0)).toHaveText('refused with 426 Upgrade Required');
  await expect(header('Upgrade')).toContainText('only right');
});
