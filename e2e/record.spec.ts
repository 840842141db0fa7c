import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../server/src/diagnose/index.ts';
import { harProblems } from '../server/src/har/validate.ts';
import type { Har } from '../server/src/har/types.ts';
import type { Transcript } from '../server/src/transcript/types.ts';
import { evaluate } from '../web/src/lessons/evaluate.ts';
import { lessonById } from '../web/src/lessons/index.ts';
import { aliasesUpTo, currentAlias, fill, type LessonWorld } from '../web/src/lessons/world.ts';
import { expect, test } from './fixtures.ts';

// `npm run record -- direct-connection` writes a lesson folder someone without the lab can use:
// the video, a trace Playwright's own trace viewer opens, the transcript (the lab's export, every
// expectation of the lesson holding against it, and opening in the lab), the HAR (valid HAR 1.2), and a page.

const root = new URL('..', import.meta.url).pathname;

function run(command: string, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; output: string }>; output: () => string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_)/.test(k)));
  const child = spawn(command, args, { cwd: root, env });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
  return { child, done, output: () => output };
}

test.setTimeout(180_000);

test('npm run record -- direct-connection writes the video, a trace the trace viewer opens, the transcript (which opens in the lab), the HAR and its page', async ({ page, lab }, testInfo) => {
  const out = testInfo.outputPath('recordings');
  const recording = await run('npm', ['run', 'record', '--', 'direct-connection', '--out', out]).done;
  expect(recording.code, recording.output).toBe(0);
  expect(recording.output).toContain('[1/1] direct-connection: done');
  const dir = join(out, 'direct-connection');
  const lesson = lessonById('direct-connection')!;

  // video.webm: a WebM (EBML) file of some substance.
  const video = readFileSync(join(dir, 'video.webm'));
  expect(video.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
  expect(video.length).toBeGreaterThan(50_000);

  // transcript.json: the lab's export, and the lesson's every expectation holds against it.
  const transcript = JSON.parse(readFileSync(join(dir, 'transcript.json'), 'utf8')) as Transcript;
  expect(transcript).toMatchObject({ format: 'ws-upgrade-lab/transcript', version: 1 });
  // The lesson's connections, in the order it opened them.
  const aliases = aliasesUpTo(lesson, lesson.steps.length - 1);
  expect(transcript.connections).toHaveLength(aliases.length);
  for (const c of transcript.connections) expect(c.findings).toEqual(diagnose(c)); // what a lab computes from those events
  const byAlias = new Map(aliases.map((a, i) => [a, transcript.connections[i]!]));
  const world: LessonWorld = { connection: (a) => byAlias.get(a), ports: lab.info().ports, origin: new URL(transcript.connections[0]!.url).origin, idleTimeoutMs: 2000 };
  for (const [i, step] of lesson.steps.entries()) {
    for (const e of step.expect ?? []) {
      const verdict = evaluate(e, world, currentAlias(lesson, i));
      if (verdict.state !== 'only-chromium') expect(verdict.state, `${step.id}: ${JSON.stringify(e)} — ${verdict.observed}`).toBe('held');
    }
  }

  // Opening transcript.json in the lab shows it (Open…: POST /api/sessions/import), connection by connection.
  const ui = `http://127.0.0.1:${lab.ports.ui}`;
  const imported = await fetch(`${ui}/api/sessions/import?name=transcript.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(join(dir, 'transcript.json')) });
  expect(imported.status, await imported.clone().text()).toBe(201);
  const { id } = (await imported.json()) as { id: string };
  await page.goto(`${ui}/?session=${encodeURIComponent(id)}`);
  for (const c of transcript.connections) await expect(page.getByText(c.id).first()).toBeVisible();
  const reopened = (await (await fetch(`${ui}/api/sessions/${encodeURIComponent(id)}/transcript`)).json()) as Transcript;
  expect(reopened.connections.map((c) => [c.id, c.events.length, c.findings])).toEqual(transcript.connections.map((c) => [c.id, c.events.length, c.findings]));

  // transcript.har: the session as HAR 1.2, one entry per WebSocket.
  const har = JSON.parse(readFileSync(join(dir, 'transcript.har'), 'utf8')) as Har;
  expect(harProblems(har), 'transcript.har against HAR 1.2 (and Chrome’s WebSocket fields)').toEqual([]);
  expect(har.log.entries).toHaveLength(transcript.connections.length);
  expect(har.log.entries.map((e) => e.response.status)).toEqual(transcript.connections.map(() => 101));
  expect(recording.output).not.toContain('HAR export is missing');

  // index.html: the files and each step's narration, the connection's own values filled in.
  const index = readFileSync(join(dir, 'index.html'), 'utf8');
  for (const file of ['video.webm', 'trace.zip', 'transcript.json']) expect(index).toContain(`<a href="${file}">${file}</a>`);
  for (const step of lesson.steps) expect(index).toContain(`<h3>${step.title.replace(/&/g, '&#38;')}</h3>`);
  expect(index).toContain(fill(lesson.steps[0]!.say, world).slice(0, 60));
  expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<a href="direct-connection/index.html">');

  // trace.zip opens in Playwright's trace viewer (served headless, read in Chromium).
  // Node itself, not npx: killing it stops the viewer's server.
  const viewer = run(process.execPath, [join(root, 'node_modules/@playwright/test/cli.js'), 'show-trace', '--host', '127.0.0.1', '--port', '0', join(dir, 'trace.zip')]);
  try {
    await expect.poll(() => /Listening on (http:\/\/\S+)/.exec(viewer.output())?.[1], { timeout: 30_000 }).toBeTruthy();
    await page.goto(/Listening on (http:\/\/\S+)/.exec(viewer.output())![1]!);
    await expect(page.getByText(/Start lesson: A WebSocket, straight to the server/).first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/Next ▶/).first()).toBeVisible();
  } finally {
    viewer.child.kill();
    await viewer.done;
  }
});
