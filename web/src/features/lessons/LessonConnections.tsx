import type { LessonWorld } from '../../lessons/world.ts';
import { useLabStore } from '../../store/index.ts';
import { summarize } from '../connections/connection-state.ts';
import { showTarget } from './use-lesson-pointer.ts';

function Item({ alias, conn, world }: { alias: string; conn: string; world: LessonWorld }) {
  const local = useLabStore((s) => s.sockets[conn]);
  const selected = useLabStore((s) => s.selectedConnection === conn && s.mainView === 'connection');
  const summary = summarize(conn, world.connection(alias), local);
  return (
    <li>
      <button type="button" className="link-button" aria-pressed={selected} onClick={() => showTarget({ view: 'connection', conn })}>
        <strong>{alias}</strong> <span className="wire">{conn}</span>
      </button>{' '}
      <span className={`conn-state tone-${summary.tone}`}>{summary.state}</span>
    </li>
  );
}

/** The lesson's connections by the names it gives them; select one to look at it. */
export function LessonConnections({ connections, world }: { connections: Record<string, string>; world: LessonWorld }) {
  const entries = Object.entries(connections);
  if (entries.length === 0) return null;
  return (
    <section className="lesson-connections" aria-labelledby="lesson-connections-heading">
      <h4 id="lesson-connections-heading">This lesson's connections</h4>
      <ul className="plain">
        {entries.map(([alias, conn]) => (
          <Item key={alias} alias={alias} conn={conn} world={world} />
        ))}
      </ul>
    </section>
  );
}
