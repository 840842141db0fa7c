import { connect, expect, messageRow, statusClosed, statusOpen, test } from './lesson-kit.ts';

// Regressions in what the lab shows about one frame, one close and one comparison, each named
// after what went wrong. Seen at 1280×720, a projector's size.

test.use({ viewport: { width: 1280, height: 720 } });

test('the header diagram splits the masking key over its two 16-bit slots and shows its whole ruler', async ({ labPage: page }) => {
  const { conn } = await connect(page, { fault: 'masked-frame' });
  await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
  await page.getByRole('tab', { name: 'Frames' }).click();
  await messageRow(page, 'masked by the server').click();

  // 16 bits of header, then the 32-bit key: its first half ends row one, its second half starts row two.
  const bits = page.getByRole('table', { name: 'Frame header bits' });
  const key = bits.getByRole('cell', { name: /^Masking-key/ });
  await expect(key).toHaveCount(2);
  await expect(key.nth(0)).toContainText('0x0102');
  await expect(key.nth(0)).not.toContainText('0304');
  await expect(key.nth(1)).toContainText('0x0304');
  await expect(key.nth(1)).not.toContainText('0102');

  // Every bit number of the ruler, 0 to 31, inside the diagram as laid out: none cut off.
  const diagram = page.getByRole('figure', { name: /Frame header/ });
  const ruler = diagram.locator('.bit-numbers > span');
  await expect(ruler).toHaveCount(32);
  const box = (await diagram.boundingBox())!;
  const last = (await ruler.last().boundingBox())!;
  expect(last.x + last.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
  expect(last.width).toBeGreaterThan(0);
});

test('frames are numbered by frame, not by event sequence', async ({ labPage: page }) => {
  const { conn } = await connect(page);
  await expect(statusOpen(page, conn)).toBeVisible();
  await page.getByLabel('Message text').fill('first message');
  await page.getByRole('button', { name: 'Send text' }).click();
  await page.getByRole('tab', { name: 'Frames' }).click();
  // The request, the 101 and the open event came first: the first frame is still frame 1.
  await messageRow(page, 'browser → echo', 'first message').click();
  await expect(page.getByRole('heading', { name: /^Frame #1: text/ })).toBeVisible();
  await messageRow(page, 'echo → browser', 'first message').click();
  await expect(page.getByRole('heading', { name: /^Frame #2: text/ })).toBeVisible();
});

test('a closed connection without a close frame does not wait for one "yet"', async ({ labPage: page }) => {
  const { conn } = await connect(page, { fault: 'close-without-frame' });
  await expect(statusClosed(page, conn, 1006, false)).toBeVisible();
  await page.getByRole('tab', { name: 'Close' }).click();
  const frames = page.getByRole('region', { name: 'Close frames' });
  await expect(frames).toContainText('No close frame was sent: the connection ended without a closing handshake.');
  await expect(frames).not.toContainText('yet');
});

test('Compare does not count Sec-WebSocket-Key as a difference: every connection sends a new one', async ({ labPage: page }) => {
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const { conn } = await connect(page);
    await expect(statusOpen(page, conn)).toBeVisible();
    await page.getByRole('button', { name: 'Close from browser' }).click();
    await expect(statusClosed(page, conn, 1000, true)).toBeVisible();
    ids.push(conn);
  }
  await page.getByRole('button', { name: 'Compare view' }).click();
  const compare = page.getByRole('region', { name: 'Compare' });
  await compare.getByLabel('Left connection').selectOption(ids[0]!);
  await compare.getByLabel('Right connection').selectOption(ids[1]!);
  const headers = compare.getByRole('table', { name: 'Headers the echo server received' });
  await expect(headers.getByRole('row', { name: /^Sec-WebSocket-Key / })).toContainText('new for every connection');
  await expect(headers.locator('caption')).toContainText('(no differences)');
});
