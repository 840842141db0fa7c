import type { FormEvent } from 'react';
import type { LabInfo } from '../../../../server/src/api/types.ts';
import { useLabStore } from '../../store/index.ts';
import { compareRoutes, runCompare } from './run-compare.ts';

/** One click: the same exchange directly and through the chosen preset, on two new connections. */
export function CompareRunForm({ info, session }: { info: LabInfo; session: string }) {
  const route = useLabStore((s) => s.compare.route);
  const message = useLabStore((s) => s.compare.message);
  const running = useLabStore((s) => s.compare.running);
  const setCompare = useLabStore((s) => s.setCompare);
  const routes = compareRoutes(info);
  const unavailable = routes.find((o) => o.key === route)?.unavailable;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void runCompare(session, info, route, message);
  };
  return (
    <form className="compare-run" aria-label="Compare run" onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor="compare-route">Through</label>
        <select id="compare-route" value={route} onChange={(e) => setCompare({ route: e.target.value })}>
          {routes.map((o) => (
            <option key={o.key} value={o.key} disabled={o.unavailable !== undefined}>
              {o.label}
              {o.unavailable !== undefined ? ' (unavailable)' : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="compare-message">Message</label>
        <input id="compare-message" value={message} onChange={(e) => setCompare({ message: e.target.value })} />
      </div>
      <button type="submit" className="primary" disabled={running || unavailable !== undefined}>
        Compare direct with preset
      </button>
      <p className="hint">
        Opens two WebSockets at once — direct, and through the chosen preset — with the Connect form's echo parameters,
        sends the message, and closes each with 1000 once its echo is back.
      </p>
      {unavailable !== undefined && <p className="hint">Unavailable: {unavailable}</p>}
    </form>
  );
}
