import { useLabStore, type MainView } from '../../store/index.ts';

const VIEWS: [MainView, string][] = [
  // Neither name contains "Connect": the lessons find the Connect button by that word.
  ['connection', 'Details view'],
  ['compare', 'Compare view'],
];

/** Which view the main pane shows: toggle buttons, so the choice is announced as pressed. */
export function ViewSwitch() {
  const view = useLabStore((s) => s.mainView);
  const setMainView = useLabStore((s) => s.setMainView);
  return (
    <nav className="view-switch" aria-label="Views">
      {VIEWS.map(([key, label]) => (
        <button key={key} type="button" aria-pressed={view === key} onClick={() => setMainView(key)}>
          {label}
        </button>
      ))}
    </nav>
  );
}
