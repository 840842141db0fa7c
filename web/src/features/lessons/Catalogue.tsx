import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { LabInfo } from '../../../../server/src/api/types.ts';
import { infoQuery } from '../../api/queries.ts';
import { catalogue } from '../../lessons/index.ts';
import type { Lesson } from '../../lessons/types.ts';
import { useLabStore } from '../../store/index.ts';
import { useLessonControls } from './lesson-control.ts';
import { scrollIntoPane } from './scroll.ts';

function Needs({ lesson, info }: { lesson: Lesson; info: LabInfo | undefined }) {
  if (lesson.needs?.includes('nginx')) {
    return info?.nginx.available === false ? (
      <span className="badge badge-warn">needs real nginx — not running here</span>
    ) : (
      <span className="badge badge-info">real nginx</span>
    );
  }
  if (lesson.needs?.includes('browser-proxy')) return <span className="badge badge-info">needs Chrome's proxy settings</span>;
  return null;
}

function LessonCard({ lesson, info, onStart }: { lesson: Lesson; info: LabInfo | undefined; onStart: () => void }) {
  const id = `lesson-card-${lesson.id}`;
  return (
    <li className="lesson-card" aria-labelledby={id}>
      <h4 id={id}>{lesson.title}</h4>
      <p className="lesson-meta">
        <span>{lesson.minutes} min</span> · <span>{lesson.steps.length} steps</span>
        {lesson.steps.some((s) => s.fix) && <> · <span>with a Fix it step</span></>} <Needs lesson={lesson} info={info} />
      </p>
      <p>
        <span className="label">Shows: </span>
        {lesson.shows}
      </p>
      <p className="hint">{lesson.concept}</p>
      <button type="button" className="primary" aria-label={`Start lesson: ${lesson.title}`} onClick={onStart}>
        Start lesson
      </button>
    </li>
  );
}

/** Every lesson, grouped by the question it answers; each card starts its lesson in this lab. */
export function Catalogue({ session }: { session: string }) {
  const info = useQuery(infoQuery()).data;
  const controls = useLessonControls(session);
  const focus = useLabStore((s) => s.lessonFocus);
  const setFocus = useLabStore((s) => s.setLessonFocus);
  const root = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!focus) return;
    const heading = root.current?.querySelector<HTMLElement>(`#question-${focus}`);
    if (heading) scrollIntoPane(heading, 'start');
    heading?.focus({ preventScroll: true });
    setFocus(null);
  }, [focus, setFocus]);
  return (
    <section className="catalogue" aria-labelledby="catalogue-heading" ref={root}>
      <h2 id="catalogue-heading">Lessons</h2>
      <p className="hint">
        Each lesson answers one question in this lab, with real sockets, real proxies and real nginx: one step at a time, pointing at what
        to look at, saying what you should see — and telling you when reality differed.
      </p>
      {catalogue().map(({ question, lessons }) => (
        <section key={question.id} className="question-group" aria-labelledby={`question-${question.id}`}>
          <h3 id={`question-${question.id}`} tabIndex={-1}>
            {question.text}
          </h3>
          <ul className="plain lesson-cards">
            {lessons.map((lesson) => (
              <LessonCard key={lesson.id} lesson={lesson} info={info} onStart={() => controls.start(lesson)} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
