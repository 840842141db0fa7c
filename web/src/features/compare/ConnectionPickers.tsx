import type { Connection } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';

function Picker({ side, connections }: { side: 'left' | 'right'; connections: Connection[] }) {
  const value = useLabStore((s) => s.compare[side]);
  const running = useLabStore((s) => s.compare.running);
  const setCompare = useLabStore((s) => s.setCompare);
  const id = `compare-${side}`;
  const pick = (conn: string | null) => setCompare(side === 'left' ? { left: conn } : { right: conn });
  return (
    <div className="field">
      <label htmlFor={id}>{side === 'left' ? 'Left connection' : 'Right connection'}</label>
      <select id={id} value={value ?? ''} onChange={(e) => pick(e.target.value || null)}>
        <option value="">choose a connection…</option>
        {value !== null && !connections.some((c) => c.id === value) && (
          <option value={value}>
            {value} ({running ? 'starting…' : 'not in this session'})
          </option>
        )}
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.id} · {c.route}
            {c.preset ? ` · ${c.preset}` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Or pick any two connections of the session. */
export function ConnectionPickers({ connections }: { connections: Connection[] }) {
  return (
    <div className="compare-pickers">
      <Picker side="left" connections={connections} />
      <Picker side="right" connections={connections} />
    </div>
  );
}
