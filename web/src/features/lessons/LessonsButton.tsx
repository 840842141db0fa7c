import { useLabStore } from '../../store/index.ts';

/** The top bar's way to the catalogue, from anywhere; pressed while it is shown. */
export function LessonsButton() {
  const view = useLabStore((s) => s.mainView);
  const setMainView = useLabStore((s) => s.setMainView);
  const open = view === 'lessons';
  return (
    <button type="button" className="lessons-button" aria-pressed={open} onClick={() => setMainView(open ? 'connection' : 'lessons')}>
      Lessons
    </button>
  );
}
