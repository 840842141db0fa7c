import { useQuery } from '@tanstack/react-query';
import { infoQuery } from '../../api/queries.ts';
import { describePointer } from '../../lessons/describe.ts';
import type { Step } from '../../lessons/types.ts';
import { currentAlias, fill, type LessonWorld } from '../../lessons/world.ts';
import type { Lesson } from '../../lessons/types.ts';
import { useLabStore } from '../../store/index.ts';
import { AcceptByHand } from './AcceptByHand.tsx';
import { FixChange } from './FixChange.tsx';
import { StepObservations } from './StepObservations.tsx';
import { TerminalCommand } from './TerminalCommand.tsx';

interface Props {
  lesson: Lesson;
  index: number;
  step: Step;
  world: LessonWorld;
  session: string;
  chosen: number;
  onChoose: (pointer: number) => void;
}

/** One step: what it says, what it points at, what it shows by hand, and what should be observed. */
export function StepBody({ lesson, index, step, world, session, chosen, onChoose }: Props) {
  const info = useQuery(infoQuery()).data;
  const run = useLabStore((s) => s.lessonRuns[index]);
  const connections = useLabStore((s) => s.lessonProgress?.connections);
  const alias = currentAlias(lesson, index);
  const acceptOn = step.point?.find((p) => p.at === 'accept');
  const acceptConnection = acceptOn && world.connection((acceptOn.at === 'accept' && acceptOn.on) || alias || '');
  const terminals = (step.do ?? []).flatMap((a) => (a.do === 'terminal' ? [a] : []));
  return (
    <>
      <p className="lesson-say">{fill(step.say, world, alias)}</p>
      {step.refs && step.refs.length > 0 && <p className="hint lesson-refs">{step.refs.join(' · ')}</p>}
      {step.fix && info && <FixChange fix={step.fix} world={world} info={info} />}
      {info &&
        terminals.map((a) => {
          const conn = connections?.[a.as];
          return conn ? <TerminalCommand key={a.as} action={a} info={info} session={session} conn={conn} recorded={world.connection(a.as) !== undefined} /> : null;
        })}
      {acceptConnection && <AcceptByHand connection={acceptConnection} />}
      {step.point && step.point.length > 0 && (
        <div className="lesson-look">
          <span className="label">Look at: </span>
          {step.point.map((p, i) => (
            <button key={i} type="button" className="link-button" aria-pressed={i === chosen} onClick={() => onChoose(i)}>
              {describePointer(p)}
            </button>
          ))}
        </div>
      )}
      <StepObservations expectations={step.expect ?? []} world={world} alias={alias} run={run} />
    </>
  );
}
