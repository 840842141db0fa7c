import { useLabStore, type LessonMark } from '../../store/index.ts';

/** What the lesson points at in the connection shown, if anything of this kind. */
export function useLessonMark<K extends Exclude<keyof LessonMark, 'conn'>>(key: K): LessonMark[K] | undefined {
  return useLabStore((s) => (s.lessonMark && s.lessonMark.conn === s.selectedConnection ? s.lessonMark[key] : undefined));
}

/** Said to a screen reader where the lesson points; the outline is drawn by `[data-lesson-mark]` (lessons.css). */
export function LessonMarkNote() {
  return <span className="visually-hidden"> (the lesson points here)</span>;
}
