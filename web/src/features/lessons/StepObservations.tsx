import { useEffect, useState } from 'react';
import { describeExpectation, evaluate, type Verdict } from '../../lessons/evaluate.ts';
import type { Alias, Expectation } from '../../lessons/types.ts';
import type { LessonWorld } from '../../lessons/world.ts';
import type { StepRun } from '../../store/index.ts';

/** How long after a step's actions an observation may still arrive (findings are computed with a snapshot). */
export const SETTLE_MS = 2_500;

type Shown = 'held' | 'waiting' | 'differed' | 'only-chromium';

const LABEL: Record<Shown, { mark: string; word: string }> = {
  held: { mark: '✓', word: 'held' },
  waiting: { mark: '…', word: 'waiting' },
  differed: { mark: '✗', word: 'differed' },
  'only-chromium': { mark: 'ⓘ', word: 'Chromium only' },
};

function shown(verdict: Verdict, settled: boolean, recorded: boolean): Shown {
  if (verdict.state === 'held') return 'held';
  if (verdict.state === 'only-chromium') return 'only-chromium';
  return settled && recorded ? 'differed' : 'waiting';
}

/** Re-renders once the step has had time to settle. */
function useSettled(run: StepRun | undefined): boolean {
  const doneAt = run?.phase === 'done' ? run.doneAt : undefined;
  const [, tick] = useState(0);
  useEffect(() => {
    if (doneAt === undefined) return;
    const left = doneAt + SETTLE_MS - Date.now();
    if (left <= 0) return;
    const t = setTimeout(() => tick((n) => n + 1), left);
    return () => clearTimeout(t);
  }, [doneAt]);
  return doneAt !== undefined && Date.now() >= doneAt + SETTLE_MS;
}

/**
 * "What you should see": each expected observation, judged against what the lab recorded. A
 * lesson runs in a real lab, so reality may differ: then it says so, with what was observed.
 */
export function StepObservations({ expectations, world, alias, run }: { expectations: readonly Expectation[]; world: LessonWorld; alias: Alias | undefined; run: StepRun | undefined }) {
  const settled = useSettled(run);
  if (expectations.length === 0) return null;
  const rows = expectations.map((e) => {
    const verdict = evaluate(e, world, alias, run?.outcome);
    const on = 'on' in e && e.on !== undefined ? e.on : alias;
    const recorded = e.kind === 'same-at-echo' || e.kind === 'browser-refused' || (on !== undefined && world.connection(on) !== undefined);
    return { e, verdict, state: shown(verdict, settled, recorded) };
  });
  const differed = rows.filter((r) => r.state === 'differed').length;
  return (
    <section className="lesson-observations" aria-labelledby="lesson-observations-heading">
      <h4 id="lesson-observations-heading">What you should see</h4>
      {differed > 0 && (
        <p className="lesson-differed" role="alert">
          Reality differed from the lesson: {differed} of {rows.length} observations did not hold. What the lab recorded is beside each.
        </p>
      )}
      <ul className="plain lesson-expectations">
        {rows.map(({ e, verdict, state }, i) => (
          <li key={i} className={`observation observation-${state}`}>
            <span className="observation-mark" aria-hidden="true">
              {LABEL[state].mark}
            </span>{' '}
            <span className="observation-text">{describeExpectation(e, world, alias)}</span>{' '}
            <span className="observation-state">{LABEL[state].word}</span>
            {state !== 'held' && <span className="observation-seen hint"> — {verdict.observed}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
