import type { Locator, Page } from '@playwright/test';
import type { Lab } from '../server/src/lab.ts';
import type { Connection } from '../server/src/transcript/types.ts';
import { browserCloseOf, frameText, framesOf, requestsOf } from '../web/src/lessons/evaluate.ts';
import type { Alias, Lesson } from '../web/src/lessons/types.ts';
import { currentAlias, durationMs, type LessonWorld } from '../web/src/lessons/world.ts';
import { expect, sessionOf, test } from './fixtures.ts';
import { followPointers, judge } from './lesson-assert.ts';
import type { ChromiumWatch } from './lesson-kit.ts';
import { nodeWorld, progressOf, sendFromTerminal } from './lesson-world.ts';

// Plays a lesson from its definition through the real UI, as a student would: Lessons, the
// lesson's card, then Next, step by step. After each step every expected observation is
// checked against the lab's record, the player's own verdict and what Chromium reported; then
// what the step points at must be on screen. A recorder can use the same loop.

export interface StepContext {
  page: Page;
  lab: Lab;
  player: Locator;
  chromium: ChromiumWatch;
  session: string;
  world: () => LessonWorld;
  /** The connection id an alias became (the step's own connection by default). */
  conn: (alias?: Alias) => string;
  /** The lab's record of it, with its findings. */
  recorded: (alias?: Alias) => Connection;
}

/** Checks a lesson's definition cannot express, run after the step of that id; a spec adds them. */
export type ExtraChecks = Record<string, (ctx: StepContext) => Promise<void>>;

/** Opens a lesson the way a newcomer does: the Lessons button, then its card. */
export async function openLesson(page: Page, lesson: Lesson): Promise<Locator> {
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByRole('button', { name: `Start lesson: ${lesson.title}` }).click();
  const player = page.getByRole('region', { name: 'Lesson player' });
  await expect(player.getByRole('heading', { name: lesson.title })).toBeVisible();
  return player;
}

/** How long a step may take to run: its waits, and some. */
function stepTimeout(lesson: Lesson, index: number, idleTimeoutMs: number): number {
  const waits = (lesson.steps[index]!.do ?? []).reduce((ms, a) => ms + (a.do !== 'wait' ? 2_000 : durationMs('ms' in a ? a.ms : a.within, idleTimeoutMs)), 0);
  return 10_000 + waits;
}

/**
 * Chromium's own account of every socket the lesson opened in this page, against the lab's: the
 * handshake headers it says it sent are those the first hop received, and the text messages it
 * sent and received are those the first hop saw on the wire (inflated when compressed).
 */
async function crossCheckChromium(ctx: StepContext): Promise<void> {
  for (const [alias, id] of Object.entries(progressOf(ctx.page).connections)) {
    const socket = ctx.chromium.find(id);
    if (!socket) continue; // a terminal's request, not the page's
    const c = ctx.recorded(alias);
    const firstHop = requestsOf(c, { from: 'browser' }).find((r) => r.observer === r.to);
    const cdp = ctx.chromium.socket(id).request;
    // Over HTTP/2 Chromium reports an HTTP/1.1-style handshake (Upgrade, Connection, Host) that was never on the wire: http2.spec checks that one.
    if (firstHop && cdp && firstHop.httpVersion !== '2') expect(Object.fromEntries(firstHop.headers), `${alias}: the headers Chromium sent`).toEqual(cdp);
    const seenBy = firstHop?.observer;
    if (!seenBy) continue;
    const texts = (from: 'browser' | undefined) =>
      framesOf(c, { seenBy })
        .filter((f) => f.opcode === 1 && (from ? f.from === from : f.to === 'browser'))
        .map(frameText);
    expect(texts('browser'), `${alias}: the messages Chromium sent`).toEqual(socket.sent);
    const received = texts(undefined);
    // A connection the browser failed was never handed the frame that failed it.
    if (browserCloseOf(c)?.wasClean === false) expect(received.slice(0, socket.received.length), `${alias}: what Chromium received`).toEqual(socket.received);
    else expect(socket.received, `${alias}: the messages Chromium received`).toEqual(received);
  }
}

export async function playLesson(page: Page, lab: Lab, lesson: Lesson, chromium: ChromiumWatch, checks: ExtraChecks = {}): Promise<void> {
  const player = await openLesson(page, lesson);
  const world = () => nodeWorld(lab, page);
  const idle = world().idleTimeoutMs;
  for (const [index, step] of lesson.steps.entries()) {
    const alias = currentAlias(lesson, index);
    const ctx: StepContext = {
      page,
      lab,
      player,
      chromium,
      session: sessionOf(page),
      world,
      conn: (a = alias) => {
        const id = a === undefined ? undefined : progressOf(page).connections[a];
        if (!id) throw new Error(`${lesson.id}/${step.id}: no connection ${a ?? '(none)'} in the page URL`);
        return id;
      },
      recorded: (a = alias) => {
        const c = a === undefined ? undefined : world().connection(a);
        if (!c) throw new Error(`${lesson.id}/${step.id}: the lab recorded no connection for ${a ?? '(none)'}`);
        return c;
      },
    };
    await test.step(`step ${index + 1}: ${step.title}`, async () => {
      if (index > 0) await player.getByRole('button', { name: 'Next ▶' }).click();
      await expect(player.getByRole('heading', { name: `Step ${index + 1} of ${lesson.steps.length}: ${step.title}` })).toBeVisible();
      await expect(player.getByRole('status', { name: 'Step status' })).toHaveText('Done.', { timeout: stepTimeout(lesson, index, idle) });
      expect(progressOf(page)).toMatchObject({ lesson: lesson.id, step: index });
      for (const action of step.do ?? []) if (action.do === 'terminal') expect(await sendFromTerminal(lab, page, action)).toMatch(/^HTTP\/1\.1 \d{3} /);
      for (const e of step.expect ?? []) await judge(e, { page, player, chromium, world, alias });
      await followPointers(page, player, step.point ?? []);
      await checks[step.id]?.(ctx);
    });
  }
  await test.step("Chromium's account agrees with the lab's", () => crossCheckChromium({ page, lab, player, chromium, session: sessionOf(page), world, conn: () => '', recorded: (a) => world().connection(a!)! }));
}
