import { useEffect, useMemo, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { transcriptQuery } from '../../api/queries.ts';
import { useLabStore } from '../../store/index.ts';
import { replaceNextUrl } from '../navigation/use-url-sync.ts';
import { summarize, type ConnectionSummary } from './connection-state.ts';

function useConnectionSummaries(session: string): ConnectionSummary[] {
  const transcript = useQuery(transcriptQuery(session)).data;
  const sockets = useLabStore((s) => s.sockets);
  return useMemo(() => {
    const byId = new Map((transcript?.connections ?? []).map((c) => [c.id, c]));
    const ids = [...byId.keys(), ...Object.keys(sockets).filter((id) => !byId.has(id))];
    // Newest first: the one just opened is the one the class is looking at.
    return ids.reverse().map((id) => summarize(id, byId.get(id), sockets[id], transcript?.imported !== undefined));
  }, [transcript, sockets]);
}

const TONE_MARK = { busy: '◌', ok: '●', done: '✓', error: '✗' } as const;

/** Every connection of the session, as a listbox: click, or arrow keys, to select. */
export function ConnectionList({ session }: { session: string }) {
  const items = useConnectionSummaries(session);
  const selected = useLabStore((s) => s.selectedConnection);
  const selectConnection = useLabStore((s) => s.selectConnection);
  const newest = items[0]?.id;

  // After a reload nothing is selected: show the newest connection rather than an empty pane.
  useEffect(() => {
    if (selected !== null || newest === undefined) return;
    replaceNextUrl();
    selectConnection(newest);
  }, [selected, newest, selectConnection]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (items.length === 0) return;
    const at = items.findIndex((i) => i.id === selected);
    const next =
      e.key === 'ArrowDown' ? Math.min(at + 1, items.length - 1)
      : e.key === 'ArrowUp' ? Math.max(at - 1, 0)
      : e.key === 'Home' ? 0
      : e.key === 'End' ? items.length - 1
      : undefined;
    if (next === undefined) return;
    e.preventDefault();
    selectConnection(items[next]!.id);
  };

  if (items.length === 0) return <p className="hint">No connections yet. Press Connect, or point any WebSocket client at the echo server.</p>;
  return (
    <ul
      role="listbox"
      aria-label="Connections"
      className="connection-list"
      tabIndex={0}
      aria-activedescendant={selected ? `conn-${selected}` : undefined}
      onKeyDown={onKeyDown}
    >
      {items.map((item) => (
        <li
          key={item.id}
          id={`conn-${item.id}`}
          role="option"
          aria-selected={item.id === selected}
          className="connection-item"
          onClick={() => selectConnection(item.id)}
        >
          <span className="wire conn-id">{item.id}</span>{' '}
          <span className="conn-route">
            {item.route.warn && <span aria-hidden="true">⚠ </span>}
            {item.route.text}
          </span>{' '}
          <span className={`conn-state tone-${item.tone}`}>
            <span aria-hidden="true">{TONE_MARK[item.tone]} </span>
            {item.state}
          </span>
        </li>
      ))}
    </ul>
  );
}
