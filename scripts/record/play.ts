import { connect as tcpConnect } from 'node:net';
import type { Page } from '@playwright/test';
import type { Lab } from '../../server/src/lab.ts';
import { parseConnections } from '../../web/src/lessons/progress.ts';
import { terminalRequest } from '../../web/src/lessons/terminal.ts';
import type { Action, Lesson } from '../../web/src/lessons/types.ts';
import { durationMs, idleTimeoutFrom } from '../../web/src/lessons/world.ts';

// Plays a lesson in the lab UI as a student does (Lessons, its card, then Next step by step,
// waiting for each step's "Done."), for the recorder: no assertions, just what happened.

export interface StepResult {
  title: string;
  /** "Done." or "Stopped." with the player's reason. */
  status: string;
  ms: number;
}

/** The lesson, step and connections the page URL carries. */
export function progressOf(page: Page): { session: string; connections: Record<string, string> } {
  const p = new URL(page.url()).searchParams;
  return { session: p.get('session') ?? '', connections: parseConnections(p.get('lc')) };
}

/** A terminal step: send the handshake the player shows as a curl command, read the status line, hang up. */
function sendFromTerminal(lab: Lab, page: Page, action: Extract<Action, { do: 'terminal' }>): Promise<string> {
  const { session, connections } = progressOf(page);
  const conn = connections[action.as];
  if (!conn) return Promise.resolve(`the player gave ${action.as} no connection id`);
  const request = terminalRequest(action, { host: '127.0.0.1', ports: lab.info().ports, session, conn });
  const head = [`GET ${request.target} HTTP/1.1`, ...request.headers.map(([n, v]) => `${n}: ${v}`), '', ''].join('\r\n');
  return new Promise((resolve) => {
    const socket = tcpConnect(request.port, request.host);
    let received = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('error', (e) => resolve(`terminal request failed: ${e.message}`));
    socket.on('connect', () => socket.write(head));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) socket.end();
    });
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
  });
}

export async function playLesson(page: Page, lab: Lab, lesson: Lesson, onStep: (index: number, title: string) => void): Promise<StepResult[]> {
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  await page.getByRole('button', { name: `Start lesson: ${lesson.title}` }).click();
  const player = page.getByRole('region', { name: 'Lesson player' });
  const idle = idleTimeoutFrom(lab.info().presets);
  const results: StepResult[] = [];
  for (const [index, step] of lesson.steps.entries()) {
    onStep(index, step.title);
    const started = Date.now();
    if (index > 0) await player.getByRole('button', { name: 'Next ▶' }).click();
    await player.getByRole('heading', { name: `Step ${index + 1} of ${lesson.steps.length}: ${step.title}` }).waitFor();
    const waits = (step.do ?? []).reduce((ms, a) => ms + (a.do !== 'wait' ? 2000 : durationMs('ms' in a ? a.ms : a.within, idle)), 0);
    const status = player.getByRole('status', { name: 'Step status' });
    await status.filter({ hasText: /^(Done|Stopped)\.$/ }).waitFor({ timeout: 15_000 + waits });
    let text = (await status.textContent()) ?? '';
    if (text === 'Stopped.') text += ` ${(await player.getByRole('alert').first().textContent().catch(() => '')) ?? ''}`;
    for (const action of step.do ?? []) if (action.do === 'terminal') await sendFromTerminal(lab, page, action);
    // Let the viewer see what the step points at before the next one.
    await page.waitForTimeout(800);
    results.push({ title: step.title, status: text.trim(), ms: Date.now() - started });
    if (text.startsWith('Stopped')) break;
  }
  return results;
}
