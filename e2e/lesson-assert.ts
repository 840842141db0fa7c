import type { Locator, Page } from '@playwright/test';
import { describeExpectation, evaluate } from '../web/src/lessons/evaluate.ts';
import { describePointer } from '../web/src/lessons/describe.ts';
import type { Alias, Expectation, Pointer } from '../web/src/lessons/types.ts';
import { fill, type LessonWorld } from '../web/src/lessons/world.ts';
import { expect } from './fixtures.ts';
import { failedLine, type ChromiumWatch } from './lesson-kit.ts';

// One expected observation, three ways: the lab's record (the same evaluate() the player runs),
// the player's own verdict on screen, and — where Chromium can tell — what Chromium reported.

export interface Judge {
  page: Page;
  player: Locator;
  chromium: ChromiumWatch;
  world: () => LessonWorld;
  /** The step's connection. */
  alias: Alias | undefined;
}

const headerIn = (headers: Record<string, string> | undefined, name: string) =>
  headers && Object.entries(headers).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

/** The player's list item for an expectation, found by its exact words. */
export function observationItem(j: Judge, e: Expectation): Locator {
  const words = describeExpectation(e, j.world(), j.alias);
  const list = j.player.getByRole('region', { name: 'What you should see' });
  return list.getByRole('listitem').filter({ has: j.page.getByText(words, { exact: true }) });
}

async function chromiumAgrees(e: Expectation, j: Judge): Promise<void> {
  const alias = ('on' in e && e.on) || j.alias;
  const c = alias ? j.world().connection(alias) : undefined;
  if (!c || !j.chromium.find(c.id)) return; // not a socket of this page (a terminal's)
  const socket = () => j.chromium.socket(c.id);
  switch (e.kind) {
    case 'chromium':
      await expect.poll(() => j.chromium.console, { message: 'Chromium printed the reason on its console' }).toContain(failedLine(c.url, e.says));
      expect(socket().errors).toEqual([e.says]);
      return;
    case 'status':
      if (e.from !== undefined || (e.to ?? 'browser') !== 'browser') return;
      if (e.status === 101) {
        if (c.events.some((x) => x.kind === 'open')) await expect.poll(() => socket().response?.status, { message: 'Chromium read 101' }).toBe(101);
      } else {
        await expect.poll(() => socket().errors.join('\n'), { message: `Chromium read ${e.status}` }).toContain(`Unexpected response code: ${e.status}`);
      }
      return;
    case 'close':
      await expect.poll(() => socket().closed, { message: 'Chromium closed the socket' }).toBe(true);
      return;
    case 'still-open':
      expect(socket().closed, 'Chromium still has the socket open').toBe(false);
      return;
    case 'negotiated':
      if (e.protocol) await expect.poll(() => headerIn(socket().response?.headers, 'sec-websocket-protocol')).toBe(e.protocol);
      if (e.extensions) await expect.poll(() => headerIn(socket().response?.headers, 'sec-websocket-extensions')).toBe(e.extensions);
      return;
    case 'header':
      // What Chromium says it sent is what the first hop received.
      // Chromium reports no pseudo-headers (it shows an HTTP/1.1-style request even for an HTTP/2 stream): http2.spec checks those.
      if (e.event === 'request' && e.from === 'browser' && e.present && e.value !== undefined && !e.name.startsWith(':')) {
        const value = fill(e.value, j.world(), alias);
        await expect.poll(() => headerIn(socket().request, e.name), { message: `Chromium sent ${e.name}` }).toBe(value);
      }
      return;
    case 'frames':
      if (e.from === 'browser' && e.opcode === 1 && e.text !== undefined) expect(socket().sent).toContain(e.text);
      return;
    default:
      return;
  }
}

/** Waits for the lab's record to show the expectation, checks the player says so, then asks Chromium. */
export async function judge(e: Expectation, j: Judge): Promise<void> {
  const words = describeExpectation(e, j.world(), j.alias);
  if (e.kind === 'browser-refused') {
    await expect(j.page.getByRole('alert').filter({ hasText: `The browser refused` })).toContainText(`with ${e.error}`);
  } else if (e.kind !== 'chromium') {
    await expect
      .poll(
        () => {
          const verdict = evaluate(e, j.world(), j.alias);
          return verdict.state === 'held' ? 'held' : `not yet: ${verdict.observed}`;
        },
        { message: `the lab's record: ${words}`, intervals: [50, 100, 200, 400] },
      )
      .toBe('held');
  }
  await expect(observationItem(j, e), `the player: ${words}`).toContainText(e.kind === 'chromium' ? 'Chromium only' : 'held');
  await chromiumAgrees(e, j);
}

/** The workbench shows what a pointer points at. */
export async function expectShown(page: Page, p: Pointer): Promise<void> {
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  switch (p.at) {
    case 'hop':
      await expect(page.getByRole('list', { name: 'Sequence of hops' }).getByRole('button', { name: /the lesson points here/ })).toHaveAttribute('aria-pressed', 'true');
      return;
    case 'header':
      // In the hop's header changes when it has a previous hop, else in its raw head.
      await expect(inspector.locator('[data-lesson-mark]', { hasText: new RegExp(`^\\s*${p.name}\\b`, 'i') }).first()).toBeVisible();
      return;
    case 'message': {
      const selected = page.getByRole('listbox', { name: 'Messages' }).getByRole('option', { selected: true });
      await expect(selected).toBeVisible();
      if (p.text !== undefined) await expect(selected).toContainText(p.text.slice(0, 40));
      return;
    }
    case 'finding':
      await expect(page.getByRole('region', { name: 'Findings' }).getByRole('listitem').filter({ hasText: 'the lesson points here' })).toBeVisible();
      return;
    case 'tab':
      await expect(page.getByRole('tab', { name: p.tab.charAt(0).toUpperCase() + p.tab.slice(1) })).toHaveAttribute('aria-selected', 'true');
      return;
    case 'accept':
      await expect(page.getByRole('group', { name: 'Sec-WebSocket-Accept check' }).filter({ hasText: 'the lesson points here' }).first()).toBeVisible();
      await expect(page.getByRole('region', { name: 'Sec-WebSocket-Accept by hand' })).toBeVisible();
      return;
    case 'config':
      await expect(inspector.locator('details.preset[data-lesson-mark]')).toBeVisible();
      return;
    case 'compare':
      await expect(page.getByRole('table', { name: 'Side by side' })).toBeVisible();
      return;
  }
}

/** Every pointer of a step: the first is shown when the step opens, the others by their Look at buttons. */
export async function followPointers(page: Page, player: Locator, pointers: readonly Pointer[]): Promise<void> {
  for (const [i, p] of pointers.entries()) {
    if (i > 0 || (await player.getByRole('button', { name: describePointer(p), exact: true, pressed: false }).count()) > 0) {
      await player.getByRole('button', { name: describePointer(p), exact: true }).click();
    }
    await expectShown(page, p);
  }
}
