import type { Action, Expectation, Lesson, Step } from '../lessons/types.ts';
import type { Scenario, ScenarioConnection, ScenarioStep } from './types.ts';

// A scenario as two files: a lesson definition (the format of web/src/lessons) and a Playwright
// spec that replays it with the `lab` fixture (examples/lab-fixture.ts) and asserts what was observed.

const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^(\d)/, '_$1');
const js = (value: unknown) => JSON.stringify(value);

function header(s: Scenario, kind: string, use: string): string {
  const lines = [`// ${kind} recorded in the WebSocket Upgrade Lab at ${s.recordedAt}: ${s.connections.length} connection(s), ${s.steps.length} action(s).`, `// ${use}`];
  for (const note of s.skipped) lines.push(`// Left out: ${note}`);
  return lines.join('\n');
}

const LAST_ON_CLOSE: readonly Expectation['kind'][] = ['close', 'opened'];

/** The step index after which each connection's closing expectations are judged: its last action. */
function lastStepOf(s: Scenario): Map<string, number> {
  const last = new Map<string, number>();
  s.steps.forEach((step, i) => last.set(step.alias, i));
  return last;
}

function lessonStep(step: ScenarioStep, index: number, c: ScenarioConnection, last: boolean): Step {
  const closing = c.expect.filter((e) => LAST_ON_CLOSE.includes(e.kind));
  const opening = c.expect.filter((e) => !LAST_ON_CLOSE.includes(e.kind));
  const id = `${index + 1}-${step.do}-${step.alias}`;
  const ends = (step.do === 'close' || (step.do === 'server' && (step.action.action === 'close' || step.action.action === 'terminate')));
  const wait: Action[] = ends ? [{ do: 'wait', until: 'closed', within: 3000, on: step.alias }] : [];
  const expect = [...(step.do === 'connect' ? opening : []), ...(last ? closing : [])];
  const base = { id, ...(expect.length > 0 ? { expect } : {}) };
  switch (step.do) {
    case 'connect':
      return {
        ...base,
        title: `Connect ${step.alias}: ${c.route}`,
        say: `Opens ${c.path} on ${c.route}, as it was recorded.`,
        do: [{ do: 'choose', route: c.route, options: c.options }, { do: 'connect', as: step.alias }],
        point: [{ at: 'tab', on: step.alias, tab: 'hops' }],
      };
    case 'send':
      return { ...base, title: `Send on ${step.alias}`, say: `Sends ${js(step.text)} from the page.`, do: [{ do: 'send', text: step.text, on: step.alias }] };
    case 'server':
      return { ...base, title: `The echo server acts on ${step.alias}: ${step.action.action}`, say: `Asks the echo server: ${js(step.action)}.`, do: [{ do: 'server', action: step.action, on: step.alias }, ...wait] };
    case 'close':
      return {
        ...base,
        title: `Close ${step.alias} from the page`,
        say: `WebSocket.close(${step.code ?? ''}${step.reason ? `, ${js(step.reason)}` : ''}) from the page.`,
        do: [{ do: 'close', code: step.code ?? 1000, reason: step.reason, on: step.alias }, ...wait],
      };
  }
}

export function scenarioLesson(s: Scenario): Lesson {
  const last = lastStepOf(s);
  const byAlias = new Map(s.connections.map((c) => [c.alias, c]));
  const proxied = s.connections.some((c) => c.route !== 'direct');
  const routes = s.connections.map((c) => `${c.alias} via ${c.route}`).join(', ');
  const steps = s.steps.map((step, i) => lessonStep(step, i, byAlias.get(step.alias)!, last.get(step.alias) === i));
  return {
    id: s.name,
    question: proxied ? 'fails-behind-nginx' : 'what-is-upgrade',
    title: `Scenario: ${s.name}`,
    concept: 'A session recorded in the lab, replayed step by step, with what each hop observed then as its expectations.',
    answer: `Recorded at ${s.recordedAt}: ${routes || 'no connections'}.`,
    shows: routes || 'nothing yet',
    minutes: Math.max(1, Math.ceil(steps.length / 3)),
    ...(s.connections.some((c) => c.route.startsWith('nginx:')) ? { needs: ['nginx' as const] } : {}),
    steps: steps.length > 0 ? steps : [{ id: 'empty', title: 'Nothing recorded', say: 'This session had no actions a scenario can replay.' }],
  };
}

/** The lesson definition file: put it in web/src/lessons/library/ and add it to LESSONS to play it in the UI. */
export function lessonSource(s: Scenario): string {
  return `${header(s, 'A lesson', `Play it in the UI: put this file in web/src/lessons/library/ and add ${camel(s.name)} to LESSONS in web/src/lessons/index.ts.`)}
import type { Lesson } from '../types.ts';

export const ${camel(s.name)}: Lesson = ${JSON.stringify(scenarioLesson(s), null, 2)};
`;
}

function specLine(step: ScenarioStep, c: ScenarioConnection): string {
  switch (step.do) {
    case 'connect':
      return `  await run.connect(${js(step.alias)}, ${js(c.route)}, ${js(c.path)}, ${js(c.protocols)});`;
    case 'send':
      return `  await run.send(${js(step.alias)}, ${js(step.text)});`;
    case 'server':
      return `  await run.server(${js(step.alias)}, ${js(step.action)});`;
    case 'close':
      return `  await run.close(${js(step.alias)}, ${step.code === undefined ? 'undefined' : step.code}, ${js(step.reason)});`;
  }
}

/** The Playwright spec: replays the actions against a fresh lab and asserts every observation. */
export function specSource(s: Scenario): string {
  const byAlias = new Map(s.connections.map((c) => [c.alias, c]));
  const expectations = s.connections.flatMap((c) => c.expect).map((e) => `    ${js(e)},`);
  return `${header(s, 'A regression test', `Run it from the lab's folder: npx playwright test -c examples/playwright.config.ts examples/scenarios/${s.name}.spec.ts`)}
import { test } from '../lab-fixture.ts';

test(${js(`${s.name}: the hops behave as recorded`)}, async ({ lab, page }) => {
  const run = await lab.replay(page);
${s.steps.map((step) => specLine(step, byAlias.get(step.alias)!)).join('\n')}
  await run.expect([
${expectations.join('\n')}
  ]);
});
`;
}
