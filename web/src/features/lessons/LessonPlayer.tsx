import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { infoQuery } from '../../api/queries.ts';
import { lessonById, questionOf } from '../../lessons/index.ts';
import type { Lesson, LessonProgress } from '../../lessons/types.ts';
import { useLabStore, type StepRun } from '../../store/index.ts';
import { useLessonControls, type LessonControls } from './lesson-control.ts';
import { LessonConnections } from './LessonConnections.tsx';
import { browserProxyText, http2Text, tlsText, missingNeed } from './needs.ts';
import { scrollIntoPane } from './scroll.ts';
import { StepBody } from './StepBody.tsx';
import { resolveStep, showTarget, useLessonPointer } from './use-lesson-pointer.ts';
import { useLessonKeys } from './use-lesson-keys.ts';
import { useLessonWorld } from './use-lesson-world.ts';

function StepStatus({ run, progress, controls, following }: { run: StepRun | undefined; progress: LessonProgress; controls: LessonControls; following: boolean }) {
  const notRun = !run && progress.step >= progress.ran && !following;
  const text =
    run?.phase === 'running' ? (run.message ?? 'Running…')
    : run?.phase === 'done' ? 'Done.'
    : run?.phase === 'error' ? 'Stopped.'
    : notRun ? 'Not run in this session yet.'
    : following ? 'The presenter runs the steps.'
    : 'Ran earlier.';
  return (
    <div className="lesson-status">
      <p role="status" aria-label="Step status" className={`tone-${run?.phase === 'error' ? 'error' : run?.phase === 'running' ? 'busy' : 'ok'}`}>
        {text}
      </p>
      {run?.phase === 'error' && (
        <p className="error" role="alert">
          {run.message}
        </p>
      )}
      {notRun && (
        <button type="button" onClick={controls.catchUp}>
          {progress.step === progress.ran ? 'Run this step' : `Run steps ${progress.ran + 1}–${progress.step + 1} here`}
        </button>
      )}
    </div>
  );
}

function StepNav({ lesson, progress, controls, following }: { lesson: Lesson; progress: LessonProgress; controls: LessonControls; following: boolean }) {
  return (
    <ol className="lesson-step-nav" aria-label="Steps">
      {lesson.steps.map((s, i) => (
        <li key={s.id}>
          <button
            type="button"
            aria-label={`Step ${i + 1}: ${s.title}${s.fix ? ' (Fix it)' : ''}`}
            aria-current={i === progress.step ? 'step' : undefined}
            disabled={following || i > progress.ran}
            title={s.title}
            className={s.fix ? 'fix-step' : undefined}
            onClick={() => controls.goTo(i)}
          >
            {i + 1}
          </button>
        </li>
      ))}
    </ol>
  );
}

/**
 * The lesson being played, in the real lab: its question and short answer, one step at a time
 * (Back, Next, or the keyboard), what each step points at in the workbench, and whether what it
 * expects held. Free play leaves the lesson with its connections kept.
 * In presenter mode (`variant="presenter"`) it is the one step on the screen, in large type, with
 * the sidebar hidden. A follower's player shows the presenter's step and runs nothing itself.
 */
export function LessonPlayer({ session, progress, variant = 'sidebar' }: { session: string; progress: LessonProgress; variant?: 'sidebar' | 'presenter' }) {
  const following = useLabStore((s) => s.follow === 'following');
  const presenter = variant === 'presenter';
  const lesson = lessonById(progress.lesson);
  const info = useQuery(infoQuery()).data;
  const world = useLessonWorld(session, progress.connections);
  const runs = useLabStore((s) => s.lessonRuns);
  const controls = useLessonControls(session);
  const [pick, setPick] = useState({ step: progress.step, pointer: 0 });
  const chosen = pick.step === progress.step ? pick.pointer : 0;
  const run = runs[progress.step];
  const running = Object.values(runs).some((r) => r.phase === 'running');
  // A follower's selection is the presenter's: its own pointer would fight it.
  useLessonPointer(following ? undefined : lesson, progress.step, chosen, world, run?.phase === 'running');
  useLessonKeys(controls, lesson !== undefined && !following);
  // The first step opens on the question and its answer; each later one at its own title.
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (progress.step === 0) card.current?.closest('.pane-body')?.scrollTo({ top: 0 });
    else if (card.current) scrollIntoPane(card.current, 'start');
  }, [progress.step]);

  if (!lesson) {
    return (
      <section className="lesson-player" aria-label="Lesson player">
        <p className="error">There is no lesson “{progress.lesson}” in this lab.</p>
        <button type="button" onClick={controls.catalogue}>
          All lessons
        </button>
      </section>
    );
  }
  const step = lesson.steps[progress.step]!;
  const last = progress.step === lesson.steps.length - 1;
  const missing = info && missingNeed(lesson, info);
  const onChoose = (pointer: number) => {
    setPick({ step: progress.step, pointer });
    if (world) showTarget(resolveStep(lesson, progress.step, step.point?.[pointer], world).target);
  };
  // Next once this step has run: a step that could not run (real nginx missing) stops the lesson there.
  const canAdvance = !last && !running && progress.step < progress.ran;

  return (
    <section className={`lesson-player${presenter ? ' presenter-step' : ''}`} aria-label="Lesson player">
      <p className="lesson-question">{questionOf(lesson).text}</p>
      <h3 className="lesson-title">{lesson.title}</h3>
      {(!presenter || progress.step === 0) && (
        <details className="lesson-answer" open={progress.step === 0}>
          <summary>The short answer</summary>
          <p>{lesson.answer}</p>
        </details>
      )}
      {missing && (
        <p className="lesson-needs" role="note">
          {missing.text}
        </p>
      )}
      {lesson.needs?.includes('browser-proxy') && info && <p className="lesson-needs hint">{browserProxyText(info, lesson)}</p>}
      {lesson.needs?.includes('tls') && info && <p className="lesson-needs hint">{tlsText(info)}</p>}
      {lesson.needs?.includes('http2') && info && <p className="lesson-needs hint">{http2Text(info)}</p>}
      <StepNav lesson={lesson} progress={progress} controls={controls} following={following} />
      <div className={`lesson-step${step.fix ? ' lesson-step-fix' : ''}`} ref={card}>
        <div className="lesson-step-head">
          <h4 className="lesson-step-title">
            Step {progress.step + 1} of {lesson.steps.length}: {step.title}
          </h4>
          <div className="lesson-buttons">
            {!following && (
              <>
                <button type="button" onClick={controls.back} disabled={progress.step === 0} aria-keyshortcuts="ArrowLeft PageUp">
                  ◀ Back
                </button>
                <button type="button" className="primary" onClick={controls.next} disabled={!canAdvance} aria-keyshortcuts="ArrowRight PageDown">
                  Next ▶
                </button>
              </>
            )}
            <StepStatus run={run} progress={progress} controls={controls} following={following} />
          </div>
        </div>
        <p className="visually-hidden" aria-live="polite">
          Step {progress.step + 1} of {lesson.steps.length}: {step.title}
        </p>
        {world && <StepBody lesson={lesson} index={progress.step} step={step} world={world} session={session} chosen={chosen} onChoose={onChoose} />}
        {last && <p className="hint">That was the last step: explore on, or pick another lesson.</p>}
      </div>
      {!following && !presenter && (
        <div className="lesson-buttons">
          <button type="button" onClick={controls.freePlay} aria-keyshortcuts="Escape" title="Leave the lesson; its connections stay (Escape)">
            Free play
          </button>
          <button type="button" onClick={controls.catalogue}>
            All lessons
          </button>
        </div>
      )}
      {!following && !presenter && <p className="hint lesson-keys">Keys: → or Page Down for the next step, ← or Page Up for the one before, Escape for free play.</p>}
      {world && !presenter && <LessonConnections connections={progress.connections} world={world} />}
    </section>
  );
}
