import type { Page } from '@playwright/test';
import { lessonById } from '../web/src/lessons/index.ts';
import { expect, sessionOf, test } from './fixtures.ts';
import { audit } from './axe.ts';
import { openLesson } from './lesson-runner.ts';
import { openServerActions } from './lesson-kit.ts';

// A teacher presents a lesson from one laptop; a student follows from another browser. The
// follower's view tracks the presenter's step and selection live (within 500 ms of the presenter's
// page showing it), it cannot act on the presenter's connections, and it can detach.

const player = (page: Page) => page.getByRole('region', { name: 'Lesson player' });
const heading = (page: Page, n: number, of: number) => player(page).getByRole('heading', { name: new RegExp(`^Step ${n} of ${of}: `) });
const done = (page: Page) => expect(player(page).getByRole('status', { name: 'Step status' })).toHaveText('Done.');
const selectedMessage = (page: Page) => page.getByRole('listbox', { name: 'Messages' }).getByRole('option', { selected: true });

/** How long after the presenter's page showed a change the follower's page showed it too; fails beyond 500 ms. */
async function tracked(what: string, follower: () => Promise<void>): Promise<number> {
  const start = Date.now();
  await test.step(`the follower tracks ${what} within 500 ms`, follower);
  const ms = Date.now() - start;
  console.log(`follower tracked ${what} in ${ms} ms`);
  return ms;
}

test.use({ viewport: { width: 1280, height: 720 } });

test('a follower tracks the presenter’s step and selection live, is refused on the presenter’s connection, and can detach', async ({ labPage: page, browser }) => {
  const lesson = lessonById('direct-connection')!;
  const of = lesson.steps.length;
  await openLesson(page, lesson);
  await done(page);

  // Presenter mode: large type, one step per screen, the sidebar hidden, readable at 1280×720.
  await page.getByRole('button', { name: 'Present', exact: true }).click();
  const view = page.getByRole('main', { name: 'Presenter view' });
  await expect(view).toBeVisible();
  await expect(page.locator('.pane.sidebar')).toHaveCount(0);
  await expect(heading(page, 1, of)).toBeVisible();
  const say = player(page).locator('.lesson-say');
  expect(await say.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeGreaterThanOrEqual(22);
  const column = page.getByRole('region', { name: 'Presenter step' });
  expect(await column.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // The join link and its QR code.
  await page.getByText('Invite followers: join link and QR code').click();
  const link = await page.locator('a.join-link').getAttribute('href');
  expect(link).toBe(`http://127.0.0.1:${new URL(page.url()).port}/?session=${sessionOf(page)}&follow=1`);
  await expect(page.getByRole('img', { name: `QR code of the join link ${link}` })).toBeVisible();
  expect(await page.getByRole('img', { name: /^QR code/ }).locator('path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);

  // A student's browser: its own context, its own tab token.
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const student = await context.newPage();
  try {
    await student.goto(link!);
    await expect(student.getByRole('region', { name: 'Follow mode' })).toContainText('Following the presenter');
    await expect(heading(student, 1, of)).toBeVisible();
    await expect(player(student).getByRole('button', { name: 'Next ▶' })).toHaveCount(0);

    // Step 2 connects, step 3 sends: the follower's step and selected message follow.
    await player(page).getByRole('button', { name: 'Next ▶' }).click();
    await expect(heading(page, 2, of)).toBeVisible();
    await tracked('step 2', () => expect(heading(student, 2, of)).toBeVisible({ timeout: 500 }));
    await done(page);
    await player(page).getByRole('button', { name: 'Next ▶' }).click();
    await done(page);
    await expect(selectedMessage(page)).toContainText('My name is LiuYue');
    await tracked('step 3 and its message', async () => {
      await expect(heading(student, 3, of)).toBeVisible({ timeout: 500 });
      await expect(selectedMessage(student)).toContainText('My name is LiuYue', { timeout: 500 });
    });

    // A selection made by hand: the Hops tab, then an arrow.
    await page.getByRole('tab', { name: 'Hops' }).click();
    await expect(page.getByRole('tab', { name: 'Hops' })).toHaveAttribute('aria-selected', 'true');
    await tracked('the Hops tab', () => expect(student.getByRole('tab', { name: 'Hops' })).toHaveAttribute('aria-selected', 'true', { timeout: 500 }));
    await page.getByRole('tab', { name: 'Frames' }).click();
    await page.getByRole('listbox', { name: 'Messages' }).getByRole('option').last().click();
    const chosen = await selectedMessage(page).getAttribute('id');
    expect(chosen).toBe('msg-1'); // the echo, not the message the step pointed at
    const frame = new URL(page.url()).searchParams.get('frame');
    expect(frame).not.toBeNull();
    await tracked('a message selected by hand', async () => {
      await expect(selectedMessage(student)).toHaveAttribute('id', chosen!, { timeout: 500 });
      await expect.poll(() => new URL(student.url()).searchParams.get('frame'), { timeout: 500 }).toBe(frame);
    });

    // The presenter's connection is not the student's: the UI says so, the lab refuses with 403.
    const conn = new URL(page.url()).searchParams.get('conn')!;
    await student.getByRole('button', { name: /^Composer/ }).click(); // folded while a lesson plays
    await expect(student.locator('.composer-why')).toContainText('Another browser tab opened this connection');
    await openServerActions(student);
    const actions = student.locator('#server-actions');
    await expect(actions.getByRole('button', { name: 'Server close' })).toBeDisabled();
    await expect(actions.getByRole('button', { name: 'Terminate (no close frame)' })).toBeDisabled();
    await expect(actions.getByRole('note')).toContainText('Another browser tab opened this connection');
    await expect(student.getByRole('button', { name: 'Send binary' })).toBeDisabled();
    const refused = await student.evaluate(async ([session, id]) => {
      const res = await fetch(`/api/sessions/${session}/connections/${id}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lab-owner': sessionStorage.getItem('ws-upgrade-lab/owner') ?? '' },
        body: JSON.stringify({ action: 'terminate' }),
      });
      return { status: res.status, body: (await res.json()) as { error: string } };
    }, [sessionOf(page), conn] as const);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain(`connection ${conn} was opened by another browser tab`);
    // The presenter's own tab may: its connection is still open for the next step.
    await expect(page.getByRole('status').filter({ hasText: `${conn} is open` })).toBeVisible();

    // Detached, the student stays put while the presenter moves on; following again catches up.
    await student.getByRole('button', { name: 'Detach' }).click();
    await expect(student.getByRole('region', { name: 'Follow mode' })).toContainText('Detached');
    expect(new URL(student.url()).searchParams.has('follow')).toBe(false);
    await player(page).getByRole('button', { name: 'Next ▶' }).click();
    await expect(heading(page, 4, of)).toBeVisible();
    await student.waitForTimeout(300);
    await expect(heading(student, 3, of)).toBeVisible();
    await student.getByRole('button', { name: 'Follow the presenter again' }).click();
    await expect(heading(student, 4, of)).toBeVisible();

    // Leaving presenter mode: followers are told nobody presents.
    await page.getByRole('button', { name: 'Stop presenting' }).click();
    await expect(student.getByRole('region', { name: 'Follow mode' })).toContainText('Waiting for the presenter');
    // Presenting again, then leaving the page: followers are told too.
    await page.getByRole('button', { name: 'Present', exact: true }).click();
    await expect(student.getByRole('region', { name: 'Follow mode' })).toContainText('Following the presenter');
    await page.goto(`${new URL(page.url()).origin}/?session=${sessionOf(page)}`);
    await expect(student.getByRole('region', { name: 'Follow mode' })).toContainText('Waiting for the presenter');
  } finally {
    await context.close();
  }
});

test('presenter mode without a lesson offers the catalogue and the join link', async ({ labPage: page }) => {
  await page.getByRole('button', { name: 'Present', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Presenter mode' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^QR code of the join link/ })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: 'other machines cannot reach it' })).toContainText('--host 0.0.0.0');
  await audit(page, 'presenter mode, the join link open');
  await page.getByRole('button', { name: 'Choose a lesson' }).click();
  await page.getByRole('button', { name: `Start lesson: ${lessonById('direct-connection')!.title}` }).click();
  await expect(heading(page, 1, lessonById('direct-connection')!.steps.length)).toBeVisible();
  await expect(player(page).getByRole('status', { name: 'Step status' })).toHaveText('Done.');
  await audit(page, 'presenter mode, a lesson step');
  // A reload keeps presenter mode.
  await page.reload();
  await expect(page.getByRole('main', { name: 'Presenter view' })).toBeVisible();
});
