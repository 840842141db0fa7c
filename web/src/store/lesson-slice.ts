import type { StateCreator } from 'zustand';
import type { StepOutcome } from '../lessons/evaluate.ts';
import type { Target } from '../lessons/resolve.ts';
import type { Alias, LessonProgress } from '../lessons/types.ts';
import type { LabState } from './index.ts';

/** How one step's actions went in this page. */
export interface StepRun {
  phase: 'running' | 'done' | 'error';
  /** What the step is doing now, or why it failed. */
  message?: string;
  /** Date.now() when its actions finished: expectations still not held some time after are shown as differing. */
  doneAt?: number;
  outcome?: StepOutcome;
}

/** What the workbench marks for the step shown: a pointer resolved against the transcript (lessons/resolve.ts). */
export type LessonMark = Pick<Target, 'conn' | 'hop' | 'header' | 'finding' | 'accept' | 'config'>;

export interface LessonSlice {
  /** The lesson being played (serialisable: in the page URL, and what a follower would track), or null. */
  lessonProgress: LessonProgress | null;
  /** Step runs of this page, by step index. */
  lessonRuns: Record<number, StepRun>;
  lessonMark: LessonMark | null;
  /** The catalogue group to bring into view (a question id), when opened from the first screen. */
  lessonFocus: string | null;
  setLessonProgress: (progress: LessonProgress | null) => void;
  setLessonStep: (step: number) => void;
  setLessonConnection: (alias: Alias, conn: string) => void;
  setStepRun: (step: number, run: StepRun | null) => void;
  setLessonMark: (mark: LessonMark | null) => void;
  setLessonFocus: (question: string | null) => void;
}

export const createLessonSlice: StateCreator<LabState, [], [], LessonSlice> = (set) => ({
  lessonProgress: null,
  lessonRuns: {},
  lessonMark: null,
  lessonFocus: null,
  setLessonProgress: (lessonProgress) =>
    set((s) => (s.lessonProgress?.lesson === lessonProgress?.lesson ? { lessonProgress } : { lessonProgress, lessonRuns: {}, lessonMark: null })),
  setLessonStep: (step) => set((s) => (s.lessonProgress ? { lessonProgress: { ...s.lessonProgress, step } } : s)),
  setLessonConnection: (alias, conn) =>
    set((s) => (s.lessonProgress ? { lessonProgress: { ...s.lessonProgress, connections: { ...s.lessonProgress.connections, [alias]: conn } } } : s)),
  setStepRun: (step, run) =>
    set((s) => {
      const runs = { ...s.lessonRuns };
      if (run) runs[step] = run;
      else delete runs[step];
      return { lessonRuns: runs };
    }),
  setLessonMark: (lessonMark) => set({ lessonMark }),
  setLessonFocus: (lessonFocus) => set({ lessonFocus }),
});
