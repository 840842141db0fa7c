import { useLabStore } from '../../store/index.ts';

/** The top bar's switch into presenter mode (large type, one step per screen) and out of it. */
export function PresentButton() {
  const presenting = useLabStore((s) => s.presenting);
  const setPresenting = useLabStore((s) => s.setPresenting);
  return (
    <button
      type="button"
      className="present-button"
      aria-pressed={presenting}
      title={presenting ? 'Leave presenter mode' : 'Presenter mode: large type, one step per screen, a join link for followers'}
      onClick={() => setPresenting(!presenting)}
    >
      {presenting ? 'Stop presenting' : 'Present'}
    </button>
  );
}
