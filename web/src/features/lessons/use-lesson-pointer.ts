import { useEffect, useRef } from 'react';
import { resolvePointer, type Target } from '../../lessons/resolve.ts';
import type { Lesson, Pointer } from '../../lessons/types.ts';
import { currentAlias, type LessonWorld } from '../../lessons/world.ts';
import { NO_FILTER } from '../messages/message-filter.ts';
import { replaceNextUrl } from '../navigation/use-url-sync.ts';
import { scrollIntoPane } from './scroll.ts';
import { useLabStore, type LabState } from '../../store/index.ts';

/** Puts the workbench where a target says, in one store update (one URL entry, replaced, not pushed). */
export function showTarget(target: Target): void {
  const s = useLabStore.getState();
  const next: Partial<LabState> = {};
  if (target.view === 'compare') {
    next.mainView = 'compare';
    next.compare = { ...s.compare, ...(target.left ? { left: target.left } : {}), ...(target.right ? { right: target.right } : {}) };
    next.lessonMark = null;
  } else {
    next.mainView = 'connection';
    if (target.conn && target.conn !== s.selectedConnection) {
      Object.assign(next, { selectedConnection: target.conn, selectedFrame: null, selectedHop: null, messageFilter: NO_FILTER, expanded: [] });
    }
    if (target.tab) next.activeTab = target.tab;
    if (target.hop) next.selectedHop = target.hop;
    if (target.frame !== undefined) Object.assign(next, { selectedFrame: target.frame, frameRowSelected: false });
    const mark = { conn: target.conn, hop: target.hop, header: target.header, finding: target.finding, accept: target.accept, config: target.config };
    next.lessonMark = Object.fromEntries(Object.entries(mark).filter(([, v]) => v !== undefined));
  }
  replaceNextUrl();
  useLabStore.setState(next);
  // Bring what is marked into view in its own pane once it is drawn (the page itself never scrolls).
  setTimeout(() => {
    for (const marked of document.querySelectorAll('[data-lesson-mark]')) scrollIntoPane(marked);
  }, 60);
}

/** The pointer a step opens on, or the step's own connection when it points at nothing in particular. */
export function resolveStep(lesson: Lesson, step: number, pointer: Pointer | undefined, world: LessonWorld) {
  const alias = currentAlias(lesson, step);
  if (pointer) return resolvePointer(pointer, world, alias);
  const c = alias === undefined ? undefined : world.connection(alias);
  return { target: c ? { view: 'connection' as const, conn: c.id } : { view: 'connection' as const }, complete: c !== undefined || alias === undefined };
}

/**
 * Shows what the step points at: when the step opens, and again as the transcript grows until
 * everything it points at has been recorded; after that, the student is free to look around.
 */
export function useLessonPointer(lesson: Lesson | undefined, step: number, chosen: number, world: LessonWorld | undefined, runningNow: boolean): void {
  const applied = useRef<{ key: string; complete: boolean } | null>(null);
  useEffect(() => {
    if (!lesson || !world) return;
    const key = `${lesson.id}/${step}/${chosen}`;
    if (applied.current?.key === key && applied.current.complete) return;
    const { target, complete } = resolveStep(lesson, step, lesson.steps[step]?.point?.[chosen], world);
    // While a step still runs, its connection may not exist yet: wait rather than show the previous one.
    if (!complete && runningNow && target.conn === undefined && target.view === 'connection') return;
    showTarget(target);
    applied.current = { key, complete: complete && !runningNow };
  }, [lesson, step, chosen, world, runningNow]);
}
