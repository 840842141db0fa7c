import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import type { Lesson } from '../web/src/lessons/types.ts';
import { evaluate } from '../web/src/lessons/evaluate.ts';
import { audit } from './axe.ts';
import { expect, sessionOf, test } from './fixtures.ts';
import { connect, openServerActions, statusClosed, statusOpen } from './lesson-kit.ts';
import { recordedConnection } from './lesson-world.ts';

// A user reproduces something in the lab and leaves with a regression test: "Save as scenario"
// writes a lesson definition and a Playwright spec; the spec, run by Playwright as a child process,
// passes against a fresh lab, and fails once its route goes through a broken preset.

const root = new URL('..', import.meta.url).pathname;

/** `npx playwright test` on one spec of the examples' config, as a user runs it; its exit code and output. */
function runPlaywright(spec: string): Promise<{ code: number | null; output: string }> {
  // The child is a Playwright run of its own: none of this worker's settings leak into it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_|PLAYWRIGHT_(?!BROWSERS_PATH|SKIP_BROWSER_DOWNLOAD))/.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['playwright', 'test', '-c', 'examples/playwright.config.ts', '--reporter=list', spec], { cwd: root, env });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function save(page: Page, button: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return readFileSync((await (download as Download).path())!, 'utf8');
}

test.setTimeout(180_000);

test('a saved scenario replays green as a Playwright spec, and fails through a broken preset', async ({ labPage: page, lab }) => {
  // What the user did: through the WebSocket recipe, send, ping from the server, close 1000.
  const { conn } = await connect(page, { route: 'reverse-proxy:nginx-websocket' });
  await expect(statusOpen(page, conn)).toBeVisible();
  await page.getByLabel('Message text').fill('hello from my bug report');
  await page.getByRole('button', { name: 'Send text' }).click();
  await openServerActions(page);
  await page.getByRole('button', { name: 'Server ping' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Asked the echo server to send a ping' })).toBeVisible();
  await page.getByLabel('Client close code').fill('1000');
  await page.getByLabel('Client close reason').fill('done');
  await page.getByRole('button', { name: 'Close from browser' }).click();
  await expect(statusClosed(page, conn, 1000, true)).toBeVisible();

  await page.getByRole('button', { name: 'Save as scenario' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save as scenario' });
  await dialog.getByLabel('Name').fill('Through the recipe');
  await dialog.getByLabel('Name').blur();
  await expect(dialog.getByRole('status')).toContainText('1 connection(s), 4 action(s)');
  await audit(page, 'the Save as scenario dialog');
  const spec = await save(page, 'Download Playwright spec');
  const lessonFile = await save(page, 'Download lesson file');

  // The spec replays what was done, with the observations as assertions.
  expect(spec).toContain(`await run.connect("conn1", "reverse-proxy:nginx-websocket", "/echo", []);`);
  expect(spec).toContain(`await run.send("conn1", "hello from my bug report");`);
  expect(spec).toContain(`await run.server("conn1", {"action":"ping","payload":"are you there?"});`);
  expect(spec).toContain(`await run.close("conn1", 1000, "done");`);
  expect(spec).toContain(`{"kind":"status","on":"conn1","status":101}`);
  expect(spec).toContain(`{"kind":"close","on":"conn1","code":1000,"wasClean":true,"reason":"done"}`);
  expect(spec).toContain(`"name":"Connection","present":true,"value":"upgrade","from":"reverse-proxy","to":"echo","seenBy":"echo"`);

  // The lesson file is the lessons' format, and its expectations hold against what was recorded.
  const lesson = JSON.parse(/: Lesson = ([\s\S]*);\n$/.exec(lessonFile)![1]!) as Lesson;
  expect(lessonFile).toContain("import type { Lesson } from '../types.ts';");
  expect(lesson).toMatchObject({ id: 'through-the-recipe', question: 'fails-behind-nginx' });
  expect(lesson.steps[0]!.do).toEqual([{ do: 'choose', route: 'reverse-proxy:nginx-websocket', options: {} }, { do: 'connect', as: 'conn1' }]);
  const recorded = recordedConnection(lab, sessionOf(page), conn)!;
  const world = { connection: () => recorded, ports: lab.info().ports, origin: new URL(page.url()).origin, idleTimeoutMs: 1500 };
  const expectations = lesson.steps.flatMap((s) => s.expect ?? []);
  expect(expectations.length).toBeGreaterThan(8);
  for (const e of expectations) expect(evaluate(e, world, 'conn1').state, JSON.stringify(e)).toBe('held');

  const dir = join(root, 'examples/scenarios');
  mkdirSync(dir, { recursive: true });
  const file = `saved-${process.pid}-${Date.now()}.spec.ts`;
  try {
    writeFileSync(join(dir, file), spec);
    const green = await runPlaywright(`examples/scenarios/${file}`);
    expect(green.output).toContain('1 passed');
    expect(green.code, green.output).toBe(0);

    writeFileSync(join(dir, file), spec.replaceAll('reverse-proxy:nginx-websocket', 'reverse-proxy:nginx-default'));
    const broken = await runPlaywright(`examples/scenarios/${file}`);
    expect(broken.code, broken.output).not.toBe(0);
    expect(broken.output).toContain('1 failed');
    expect(broken.output).toContain('what the hops observed differs from what was recorded');
    expect(broken.output).toMatch(/426/);
  } finally {
    rmSync(join(dir, file), { force: true });
  }
});

test('the lab fixture’s example spec runs green', async () => {
  const example = await runPlaywright('examples/through-nginx.spec.ts');
  expect(example.code, example.output).toBe(0);
});
