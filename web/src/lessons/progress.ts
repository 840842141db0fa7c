// LessonProgress in and out of a page URL, and what a link to a step says has already run.
import type { Alias, Lesson, LessonProgress } from './types.ts';
import { aliasesCreatedBy } from './world.ts';

/** `broken:c-abc,fixed:c-def` → { broken: 'c-abc', fixed: 'c-def' }; anything malformed is left out. */
export function parseConnections(text: string | null): Record<Alias, string> {
  const out: Record<Alias, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf(':');
    if (at <= 0) continue;
    const [alias, conn] = [pair.slice(0, at), pair.slice(at + 1)];
    if (/^[\w-]+$/.test(alias) && /^[\w-]+$/.test(conn)) out[alias] = conn;
  }
  return out;
}

export function formatConnections(connections: Record<Alias, string>): string {
  return Object.entries(connections)
    .map(([alias, conn]) => `${alias}:${conn}`)
    .join(',');
}

/**
 * How many steps a link to `step` can count as run: those up to the first whose connections the
 * link does not name. A link made mid-lesson names them all, so the view comes back whole.
 */
export function ranFromLink(lesson: Lesson, step: number, connections: Record<Alias, string>): number {
  // A link that names no connection was made before anything ran (or by hand): nothing has.
  if (Object.keys(connections).length === 0) return 0;
  let ran = 0;
  for (let i = 0; i <= step && i < lesson.steps.length; i++) {
    const created = (lesson.steps[i]!.do ?? []).flatMap(aliasesCreatedBy);
    if (created.some((alias) => connections[alias] === undefined)) break;
    ran = i + 1;
  }
  return ran;
}

/** A step index kept inside the lesson. */
export function clampStep(lesson: Lesson, step: number): number {
  return Math.max(0, Math.min(lesson.steps.length - 1, Number.isInteger(step) ? step : 0));
}

export function startProgress(lesson: Lesson): LessonProgress {
  return { lesson: lesson.id, step: 0, connections: {}, ran: 0 };
}
