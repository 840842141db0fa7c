import { QUESTIONS } from '../../lessons/index.ts';
import { useLabStore } from '../../store/index.ts';

/** The first screen's way into the lessons: the questions people ask, each opening its lessons. */
export function LessonsEntry() {
  const setMainView = useLabStore((s) => s.setMainView);
  const setFocus = useLabStore((s) => s.setLessonFocus);
  const open = (question: string | null) => {
    setFocus(question);
    setMainView('lessons');
  };
  return (
    <section className="lessons-entry" aria-labelledby="lessons-entry-heading">
      <h3 id="lessons-entry-heading">Learn with a lesson</h3>
      <p className="hint">Guided, step by step, in this lab. Pick a question:</p>
      <ul className="plain question-links">
        {QUESTIONS.slice(0, 6).map((q) => (
          <li key={q.id}>
            <button type="button" className="link-button" onClick={() => open(q.id)}>
              {q.text}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => open(null)}>
        All lessons
      </button>
    </section>
  );
}
