import { useMemo } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { LabInfo } from '../../../../server/src/api/types.ts';
import { infoQuery, transcriptQuery } from '../../api/queries.ts';
import { lessonById } from '../../lessons/index.ts';
import { startProgress } from '../../lessons/progress.ts';
import type { Lesson } from '../../lessons/types.ts';
import { useLabStore } from '../../store/index.ts';
import { cancelLessonRuns, runStepsUpTo, type RunContext } from './run-steps.ts';
import { pageWorld } from './use-lesson-world.ts';

const store = () => useLabStore.getState();

function runContext(queryClient: QueryClient, info: LabInfo, session: string): RunContext {
  return {
    info,
    session,
    world: () => pageWorld(info, queryClient.getQueryData(transcriptQuery(session).queryKey), store().lessonProgress?.connections ?? {}),
  };
}

export interface LessonControls {
  start(lesson: Lesson): void;
  /** Show step `index`, running every step before it that has not run. */
  goTo(index: number): void;
  next(): void;
  back(): void;
  /** Leave the lesson; its connections stay, to explore. */
  freePlay(): void;
  /** Leave the lesson for the catalogue. */
  catalogue(): void;
  /** Run the steps up to the one shown (a link opened mid-lesson). */
  catchUp(): void;
}

/** Whether a step of the lesson is running now: Next waits for it. */
export const isRunning = () => Object.values(store().lessonRuns).some((r) => r.phase === 'running');

/** What the player's buttons, the keyboard and the catalogue do. */
export function useLessonControls(session: string | null): LessonControls {
  const queryClient = useQueryClient();
  const info = useQuery(infoQuery()).data;
  return useMemo(() => {
    const run = (target: number) => {
      if (!info || !session) return;
      void runStepsUpTo(target, runContext(queryClient, info, session));
    };
    const leave = () => {
      cancelLessonRuns();
      store().setLessonProgress(null);
      store().setLessonMark(null);
    };
    const controls: LessonControls = {
      start(lesson) {
        cancelLessonRuns();
        const s = store();
        // Each lesson chooses what it needs; options left from before would change its URLs.
        s.setConnectForm({ route: 'direct', subprotocols: '', serverAcceptsProtocols: true, deflate: false, heartbeat: '', origin: '', strict: false, fault: '' });
        s.setLessonProgress(null);
        s.setLessonProgress(startProgress(lesson));
        s.setMainView('connection');
        run(0);
      },
      goTo(index) {
        const progress = store().lessonProgress;
        const lesson = lessonById(progress?.lesson);
        if (!progress || !lesson || index < 0 || index >= lesson.steps.length) return;
        if (index >= progress.ran && isRunning()) return;
        store().setLessonStep(index);
        if (index === progress.ran) run(index);
      },
      next() {
        const progress = store().lessonProgress;
        if (progress) controls.goTo(progress.step + 1);
      },
      back() {
        const progress = store().lessonProgress;
        if (progress) controls.goTo(progress.step - 1);
      },
      freePlay() {
        leave();
        store().setMainView('connection');
        store().setStatus({ tone: 'info', text: 'Free play: the lesson’s connections are still here to explore. Lessons, in the top bar, takes you back.' });
      },
      catalogue() {
        leave();
        store().setMainView('lessons');
      },
      catchUp() {
        const progress = store().lessonProgress;
        if (progress && !isRunning()) run(progress.step);
      },
    };
    return controls;
  }, [queryClient, info, session]);
}
