import type { Page } from '@playwright/test';
import { startLab } from '../server/src/lab.ts';
import { lessonById } from '../web/src/lessons/index.ts';
import { expect, test } from './fixtures.ts';
import { openLesson } from './lesson-runner.ts';
import { progressOf } from './lesson-world.ts';

// The lesson player as a student and a teacher use it: from the first screen to an answer, one
// step at a time with buttons or keys, a link that brings a step back, the Fix it step, free
// play, and a lab that lacks what a lesson needs — or where reality differs from the lesson.

const player = (page: Page) => page.getByRole('region', { name: 'Lesson player' });
const stepHeading = (page: Page, n: number, of: number) => player(page).getByRole('heading', { name: new RegExp(`^Step ${n} of ${of}: `) });
const done = (page: Page) => expect(player(page).getByRole('status', { name: 'Step status' })).toHaveText('Done.');

test('a newcomer reaches why a WebSocket fails behind nginx in three clicks from the first screen', async ({ labPage: page }) => {
  // 1. The first screen lists the questions people ask.
  await page.getByRole('button', { name: 'Why does my WebSocket fail behind nginx?' }).click();
  await expect(page.getByRole('heading', { name: 'Why does my WebSocket fail behind nginx?' })).toBeFocused();
  // 2. The first lesson under it.
  await page.getByRole('button', { name: 'Start lesson: proxy_pass alone drops the upgrade' }).click();
  const answer = player(page).getByRole('group').filter({ hasText: 'The short answer' });
  await expect(answer).toContainText('Upgrade and Connection are hop-by-hop headers: nginx removes them');
  await expect(answer).toContainText('proxy_set_header Connection "upgrade";');
  // 3. Next: it happens in this lab, through the proxy.
  await done(page);
  await player(page).getByRole('button', { name: 'Next ▶' }).click();
  await expect(stepHeading(page, 2, 5)).toHaveText('Step 2 of 5: Connect: 426, and the page sees 1006');
  await done(page);
  await expect(player(page).getByRole('listitem').filter({ hasText: 'The browser gets 426' })).toContainText('held');
});

test('Next, Back and the keys walk the steps without running one twice; a link brings a step back; Escape leaves, keeping the connections', async ({ labPage: page, context }) => {
  const lesson = lessonById('direct-connection')!;
  const of = lesson.steps.length;
  await openLesson(page, lesson);
  await done(page);
  expect(progressOf(page)).toMatchObject({ lesson: 'direct-connection', step: 0 });

  await page.keyboard.press('ArrowRight');
  await expect(stepHeading(page, 2, of)).toBeVisible();
  await done(page);
  await page.keyboard.press('PageDown');
  await expect(stepHeading(page, 3, of)).toBeVisible();
  await done(page);
  const connections = progressOf(page).connections;
  expect(Object.keys(connections)).toEqual(['hello']);
  // The step points at the message it sent, in the Frames tab.
  await expect(page.getByRole('listbox', { name: 'Messages' }).getByRole('option', { selected: true })).toContainText('My name is LiuYue');
  expect(progressOf(page).step).toBe(2);

  await page.keyboard.press('ArrowLeft');
  await expect(stepHeading(page, 2, of)).toBeVisible();
  await page.keyboard.press('PageUp');
  await expect(stepHeading(page, 1, of)).toBeVisible();
  await expect(player(page).getByRole('button', { name: '◀ Back' })).toBeDisabled();
  await player(page).getByRole('button', { name: 'Next ▶' }).click();
  await player(page).getByRole('button', { name: 'Next ▶' }).click();
  await expect(stepHeading(page, 3, of)).toBeVisible();
  // Back and forth ran nothing again: the same one connection, one message sent.
  expect(progressOf(page).connections).toEqual(connections);
  await expect(page.getByRole('listbox', { name: 'Connections' }).getByRole('option')).toHaveCount(1);

  // Keys pressed in a field are the field's.
  await page.getByLabel('Search payloads').press('ArrowRight');
  await expect(stepHeading(page, 3, of)).toBeVisible();

  // A link to this step, opened elsewhere, shows it with what it points at; nothing runs again.
  const link = page.url();
  expect(new URL(link).searchParams.get('step')).toBe('3');
  const other = await context.newPage();
  await other.goto(link);
  await expect(stepHeading(other, 3, of)).toBeVisible();
  await expect(player(other).getByRole('status', { name: 'Step status' })).toHaveText('Ran earlier.');
  await expect(other.getByRole('listbox', { name: 'Messages' }).getByRole('option', { selected: true })).toContainText('My name is LiuYue');
  await expect(player(other).getByRole('listitem').filter({ hasText: 'Text frames the browser → the echo server' })).toContainText('held');
  await other.close();

  // Escape (outside a field): free play, with the lesson's connection still there.
  await player(page).getByRole('button', { name: 'Next ▶' }).focus();
  await page.keyboard.press('Escape');
  await expect(player(page)).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'Connections' })).toBeVisible();
  await expect(page.getByRole('option', { name: new RegExp(`^${connections.hello} `) })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Free play' })).toBeVisible();
  expect(new URL(page.url()).searchParams.get('lesson')).toBeNull();
});

test('the Fix it step reruns against the fixed preset and compares broken with fixed; Free play keeps both', async ({ labPage: page }) => {
  const lesson = lessonById('nginx-missing-connection')!;
  await openLesson(page, lesson);
  for (let n = 2; n <= lesson.steps.length; n++) {
    await done(page);
    await player(page).getByRole('button', { name: 'Next ▶' }).click();
    await expect(stepHeading(page, n, lesson.steps.length)).toBeVisible();
  }
  await done(page);
  await expect(player(page).getByText('Fix it', { exact: true })).toBeVisible();
  await expect(player(page).getByRole('group', { name: 'The fix: nginx-missing-connection against nginx-websocket' })).toContainText('+ proxy_set_header Connection "upgrade";');
  const { broken, fixed } = progressOf(page).connections;
  const compare = page.getByRole('region', { name: 'Compare' });
  await expect(compare.getByLabel('Left connection')).toHaveValue(broken!);
  await expect(compare.getByLabel('Right connection')).toHaveValue(fixed!);
  const outcome = compare.getByRole('table', { name: 'Side by side' }).getByRole('row', { name: /^Outcome/ }).getByRole('cell');
  await expect(outcome).toHaveText(['refused with 426 Upgrade Required', 'open (101 Switching Protocols)']);
  await expect(player(page).getByRole('button', { name: 'Next ▶' })).toBeDisabled();

  await player(page).getByRole('button', { name: 'Free play' }).click();
  await expect(page.getByRole('heading', { name: `Connection ${fixed}` })).toBeVisible();
  const list = page.getByRole('listbox', { name: 'Connections' });
  await expect(list.getByRole('option', { name: new RegExp(`^${broken} `) })).toContainText('closed 1006');
  await expect(list.getByRole('option', { name: new RegExp(`^${fixed} `) })).toContainText('open');
  // The fixed connection is the student's now: the composer is back.
  await page.getByLabel('Message text').fill('mine now');
  await page.getByRole('button', { name: 'Send text' }).click();
  await expect(page.getByText('Sent a text message of 8 bytes')).toBeVisible();
});

test('a lesson that needs real nginx says so in a lab without it, and how to get it', async ({ browser }) => {
  const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, proxyPort: 0, forwardProxyPort: 0 });
  const page = await browser.newPage();
  try {
    expect(lab.info().nginx.available).toBe(false);
    await page.goto(`http://127.0.0.1:${lab.ports.ui}/`);
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Real nginx does the same' })).toContainText('needs real nginx — not running here');
    await page.getByRole('button', { name: 'Start lesson: Real nginx does the same' }).click();
    const note = player(page).getByRole('note');
    await expect(note).toContainText('This step needs real nginx, and it is not running in this lab: real nginx was not asked for');
    await expect(note).toContainText('sudo apt-get install nginx-light');
    // The step runs in the bundled proxy, then stops where nginx would be needed, and says why.
    await expect(player(page).getByRole('status', { name: 'Step status' })).toHaveText('Stopped.');
    await expect(player(page).getByRole('alert')).toContainText('This step needs real nginx');
    await expect(player(page).getByRole('button', { name: 'Next ▶' })).toBeDisabled();
  } finally {
    await page.close();
    await lab.close();
  }
});

test('when reality differs from the lesson, the player says so: the forward-proxy lesson without proxy settings', async ({ labPage: page }) => {
  // This Chromium was not told to use the forward proxy, so the connection goes straight to the echo server.
  const lesson = lessonById('forward-proxy')!;
  await openLesson(page, lesson);
  await expect(player(page).getByText('This lesson needs Chrome started with the lab\'s forward proxy')).toBeVisible();
  await done(page);
  await player(page).getByRole('button', { name: 'Next ▶' }).click();
  await done(page);
  const tunnel = player(page).getByRole('listitem').filter({ hasText: 'The forward proxy is asked: CONNECT' });
  await expect(tunnel).toContainText('differed');
  await expect(tunnel).toContainText('no CONNECT recorded');
  await expect(player(page).getByRole('alert')).toContainText('Reality differed from the lesson');
  // The page's socket did open — straight to the echo server, which is the difference.
  await expect(page.getByRole('status').filter({ hasText: 'is open' })).toBeVisible();
});
