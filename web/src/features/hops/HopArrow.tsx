import type { CSSProperties, KeyboardEvent } from 'react';
import type { Party } from '../../../../server/src/transcript/types.ts';
import { LessonMarkNote, useLessonMark } from '../lessons/LessonMarkNote.tsx';
import { stepMeta, stepTitle, type Step } from './sequence.ts';

interface Props {
  step: Step;
  parties: Party[];
  selected: boolean;
  /** Headers that differ from the previous hop of the same message. */
  changes?: number;
  onSelect: () => void;
  onKeyDown: (e: KeyboardEvent<HTMLButtonElement>) => void;
}

/** One arrow, drawn across the columns it joins; a note sits in its observer's column. */
export function HopArrow({ step, parties, selected, changes, onSelect, onKeyDown }: Props) {
  const from = parties.indexOf(step.from);
  const to = parties.indexOf(step.to);
  const note = step.kind === 'note';
  const [start, end] = note ? [parties.indexOf(step.observer), parties.indexOf(step.observer)] : [Math.min(from, to), Math.max(from, to)];
  const way = note ? 'note' : to >= from ? 'rightward' : 'leftward';
  const seenAt = step.observer === step.to ? 'head' : step.observer === step.from ? 'tail' : 'middle';
  const marked = useLessonMark('hop') === step.id;
  const style = { gridColumn: `${start + 1} / ${end + 2}`, '--span': end - start + 1 } as CSSProperties;
  return (
    <li className="hop-row">
      <button
        type="button"
        className={`hop-arrow hop-${step.kind} ${way} seen-at-${seenAt}`}
        style={style}
        aria-pressed={selected}
        data-step={step.id}
        data-lesson-mark={marked || undefined}
        onClick={onSelect}
        onKeyDown={onKeyDown}
      >
        <span className="hop-title wire">{stepTitle(step)}</span>
        {changes !== undefined && changes > 0 && (
          <span className="badge badge-info">
            {changes} {changes === 1 ? 'header changed' : 'headers changed'}
          </span>
        )}
        <span className="hop-line" aria-hidden="true">
          <span className="hop-dot" />
        </span>
        <span className="hop-meta">{stepMeta(step)}</span>
        {marked && <LessonMarkNote />}
      </button>
    </li>
  );
}
