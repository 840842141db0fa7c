import { useRef, type CSSProperties, type KeyboardEvent } from 'react';
import type { Party } from '../../../../server/src/transcript/types.ts';
import { PARTY_LABEL } from '../../components/format.ts';
import { HopArrow } from './HopArrow.tsx';
import type { Step } from './sequence.ts';

interface Props {
  parties: Party[];
  steps: Step[];
  selected: string | undefined;
  changes: ReadonlyMap<string, number>;
  onSelect: (step: string) => void;
}

/** Columns per party, one arrow per step; arrow keys (Up, Down, Home, End) move between arrows. */
export function SequenceDiagram({ parties, steps, selected, changes, onSelect }: Props) {
  const list = useRef<HTMLOListElement>(null);
  const onKeyDown = (at: number) => (e: KeyboardEvent<HTMLButtonElement>) => {
    const next =
      e.key === 'ArrowDown' ? Math.min(at + 1, steps.length - 1)
      : e.key === 'ArrowUp' ? Math.max(at - 1, 0)
      : e.key === 'Home' ? 0
      : e.key === 'End' ? steps.length - 1
      : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const step = steps[next]!;
    onSelect(step.id);
    list.current?.querySelector<HTMLButtonElement>(`[data-step="${step.id}"]`)?.focus();
  };
  const style = { '--cols': parties.length } as CSSProperties;
  return (
    <div className="sequence" style={style}>
      <div className="sequence-parties" aria-hidden="true">
        {parties.map((p) => (
          <span key={p} className="party">
            {PARTY_LABEL[p]}
          </span>
        ))}
      </div>
      <p className="visually-hidden">Parties, left to right: {parties.map((p) => PARTY_LABEL[p]).join(', ')}.</p>
      <ol ref={list} className="sequence-steps" aria-label="Sequence of hops">
        {steps.map((step, i) => (
          <HopArrow
            key={step.id}
            step={step}
            parties={parties}
            selected={step.id === selected}
            changes={changes.get(step.id)}
            onSelect={() => onSelect(step.id)}
            onKeyDown={onKeyDown(i)}
          />
        ))}
      </ol>
    </div>
  );
}
