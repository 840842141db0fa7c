import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../../server/src/echo/faults.ts';
import { RULES } from '../../../server/src/diagnose/index.ts';
import { PRESETS } from '../../../server/src/reverse-proxy/presets.ts';
import type { Party, Route } from '../../../server/src/transcript/types.ts';
import { catalogue, LESSONS, QUESTIONS } from './index.ts';
import type { Action, Alias, Expectation, Lesson, Pointer, RouteKey, Step } from './types.ts';
import { aliasesCreatedBy, currentAlias, PLACEHOLDERS, placeholdersIn } from './world.ts';

// The lesson model checks itself against the lab it runs in: every route, preset, fault, rule,
// party and connection a lesson names must exist, so a typo fails here, not in front of a class.

const PRESET_NAMES = new Set(PRESETS.map((p) => p.name));
const RULE_IDS = new Set(RULES.map((r) => r.id));
const FAULT_NAMES = new Set(FAULTS.map((f) => f.name));

function routeOf(key: RouteKey): { route: Route; preset?: string } {
  const plain = key.replace(/\+(wss|h2)/, '');
  if (plain === 'direct' || plain === 'forward-proxy') return { route: plain };
  const [route, preset] = plain.split(':') as [Route, string];
  return { route, preset };
}

const PARTIES_OF: Record<Route, readonly Party[]> = {
  direct: ['browser', 'echo'],
  'reverse-proxy': ['browser', 'reverse-proxy', 'echo'],
  nginx: ['browser', 'nginx', 'echo'],
  'forward-proxy': ['browser', 'forward-proxy', 'echo'],
};

/** Each alias's route, as the lesson's actions give it: the form's route when it connects. */
function aliasRoutes(lesson: Lesson): Map<Alias, { route: RouteKey; step: number }> {
  const routes = new Map<Alias, { route: RouteKey; step: number }>();
  let form: RouteKey = 'direct';
  lesson.steps.forEach((step, i) => {
    for (const action of step.do ?? []) {
      if (action.do === 'choose') form = action.route;
      if (action.do === 'connect') routes.set(action.as, { route: form, step: i });
      if (action.do === 'terminal') routes.set(action.as, { route: action.route, step: i });
      if (action.do === 'compare-run') {
        routes.set(action.as[0], { route: 'direct', step: i });
        routes.set(action.as[1], { route: action.through, step: i });
      }
    }
  });
  return routes;
}

function partiesNamed(x: Expectation | Pointer): Party[] {
  return (['from', 'to', 'seenBy'] as const).flatMap((k) => {
    const value = (x as Partial<Record<typeof k, Party>>)[k];
    return value === undefined ? [] : [value];
  });
}

function aliasesNamed(x: Expectation | Pointer | Action): Alias[] {
  const named: Alias[] = [];
  if ('on' in x && x.on !== undefined) named.push(x.on);
  if ('left' in x) named.push(x.left, x.right);
  return named;
}

const routeKeys = (lesson: Lesson): RouteKey[] =>
  lesson.steps.flatMap((s) => (s.do ?? []).flatMap((a): RouteKey[] => (a.do === 'choose' || a.do === 'terminal' ? [a.route] : a.do === 'compare-run' ? [a.through] : [])));

describe('the lesson catalogue', () => {
  it('has unique, URL-safe lesson ids, and unique step ids within each lesson', () => {
    const ids = LESSONS.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const lesson of LESSONS) {
      expect(lesson.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      const steps = lesson.steps.map((s) => s.id);
      expect(new Set(steps).size, lesson.id).toBe(steps.length);
      for (const id of steps) expect(id, lesson.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('groups every lesson under a question people ask, and every question has a lesson', () => {
    const groups = catalogue();
    expect(groups.map((g) => g.question.id)).toEqual(QUESTIONS.map((q) => q.id));
    expect(groups.flatMap((g) => g.lessons).length).toBe(LESSONS.length);
    for (const q of QUESTIONS) expect(q.text.endsWith('?'), q.id).toBe(true);
  });

  it('gives each lesson an answer, what it shows, a duration, references and something to check', () => {
    for (const l of LESSONS) {
      expect(l.answer.length, l.id).toBeGreaterThan(80);
      expect(l.shows.length, l.id).toBeGreaterThan(20);
      expect(l.minutes, l.id).toBeGreaterThanOrEqual(1);
      expect(l.minutes, l.id).toBeLessThanOrEqual(15);
      expect(l.steps.some((s) => (s.refs ?? []).some((r) => /^RFC \d+/.test(r))), `${l.id} cites an RFC`).toBe(true);
      expect(l.steps.flatMap((s) => s.expect ?? []).length, l.id).toBeGreaterThan(0);
      for (const s of l.steps) expect(s.say.length, `${l.id}/${s.id}`).toBeLessThan(480);
    }
  });
});

describe.each(LESSONS.map((l) => [l.id, l] as const))('lesson %s', (_, lesson) => {
  const routes = aliasRoutes(lesson);

  it('names only routes, presets and faults this lab has', () => {
    for (const key of routeKeys(lesson)) {
      const { route, preset } = routeOf(key);
      expect(['direct', 'forward-proxy', 'reverse-proxy', 'nginx'], key).toContain(route);
      if (route === 'reverse-proxy' || route === 'nginx') expect(PRESET_NAMES, key).toContain(preset);
    }
    for (const step of lesson.steps) {
      for (const action of step.do ?? []) {
        if (action.do === 'choose' && action.options?.fault !== undefined && action.options.fault !== '') expect(FAULT_NAMES, `${step.id}: fault`).toContain(action.options.fault);
      }
    }
  });

  it('names only finding rules the diagnosis has', () => {
    for (const step of lesson.steps) {
      for (const x of [...(step.expect ?? []), ...(step.point ?? [])]) {
        if ('rule' in x) expect(RULE_IDS, `${step.id}: rule`).toContain(x.rule);
      }
    }
  });

  it('creates each connection once, before anything refers to it, and only on a route with the parties it names', () => {
    const created = lesson.steps.flatMap((s) => (s.do ?? []).flatMap(aliasesCreatedBy));
    expect(new Set(created).size, 'each alias is created once').toBe(created.length);
    lesson.steps.forEach((step: Step, i) => {
      const current = currentAlias(lesson, i);
      const things = [...(step.expect ?? []), ...(step.point ?? []), ...(step.do ?? [])];
      for (const x of things) {
        for (const alias of aliasesNamed(x)) {
          const made = routes.get(alias);
          expect(made, `${step.id}: ${alias} is created by the lesson`).toBeDefined();
          expect(made!.step, `${step.id}: ${alias} exists by then`).toBeLessThanOrEqual(i);
        }
      }
      for (const x of [...(step.expect ?? []), ...(step.point ?? [])]) {
        const parties = partiesNamed(x);
        if (parties.length === 0) continue;
        const alias = aliasesNamed(x)[0] ?? current;
        expect(alias, `${step.id}: a connection to look at`).toBeDefined();
        const { route } = routeOf(routes.get(alias!)!.route);
        for (const p of parties) expect(PARTIES_OF[route], `${step.id}: ${p} on the ${route} route of ${alias}`).toContain(p);
      }
      const acts = (step.do ?? []).some((a) => a.do === 'send' || a.do === 'server' || a.do === 'close' || (a.do === 'wait' && 'until' in a));
      if (acts) expect(current, `${step.id} acts on a connection`).toBeDefined();
    });
  });

  it('says what it needs: real nginx for nginx routes, browser proxy settings for the forward proxy', () => {
    const used = new Set(routeKeys(lesson).map((k) => routeOf(k).route));
    expect(lesson.needs?.includes('nginx') ?? false).toBe(used.has('nginx'));
    expect(lesson.needs?.includes('browser-proxy') ?? false).toBe(used.has('forward-proxy'));
  });

  it('uses only placeholders the player can fill', () => {
    for (const step of lesson.steps) {
      const texts = [step.title, step.say];
      for (const e of step.expect ?? []) for (const v of Object.values(e)) if (typeof v === 'string') texts.push(v);
      for (const a of step.do ?? []) if (a.do === 'choose') for (const v of Object.values(a.options ?? {})) if (typeof v === 'string') texts.push(v);
      for (const name of texts.flatMap(placeholdersIn)) expect(PLACEHOLDERS, `${step.id}: {${name}}`).toContain(name);
    }
  });

  it('has a Fix it step that reruns against a preset that upgrades, compared with the broken one, when its fix is a preset change', () => {
    const fixes = lesson.steps.filter((s) => s.fix);
    expect(fixes.length, 'at most one Fix it step').toBeLessThanOrEqual(1);
    const first = [...routes.values()].sort((a, b) => a.step - b.step)[0];
    const broken = first && PRESETS.find((p) => p.name === routeOf(first.route).preset);
    if (broken && !broken.upgrades) expect(fixes.length, `${lesson.id} starts with ${broken.name}, which does not upgrade`).toBe(1);
    for (const step of fixes) {
      const { broken: b, fixed } = step.fix!;
      expect(step.point?.[0], 'the Fix it step opens the Compare view').toEqual({ at: 'compare', left: b, right: fixed });
      expect(routes.get(fixed)?.step, 'the fixed connection is made by the Fix it step').toBe(lesson.steps.indexOf(step));
      expect(routes.get(b)?.step, 'the broken one before it').toBeLessThan(lesson.steps.indexOf(step));
      const preset = PRESETS.find((p) => p.name === routeOf(routes.get(fixed)!.route).preset);
      if (preset) expect(preset.upgrades, `${preset.name} upgrades`).toBe(true);
    }
  });
});
