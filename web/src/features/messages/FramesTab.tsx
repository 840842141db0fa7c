import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import { filterOptions } from './filter-options.ts';
import { filterKey } from './message-filter.ts';
import { legOptionKey, type Leg } from './message-model.ts';
import { MessageFilters } from './MessageFilters.tsx';
import { MessageList } from './MessageList.tsx';
import { RowMap } from './row-map.ts';
import { routeParties, useIdleDecoding, useMessageModel, useMessageView } from './use-message-model.ts';

const OPTIONS_EVERY_MS = 1000;

/** `value`, changing at most once per `ms`; a value held back shows once that time has passed. */
function useThrottled<T>(value: T, ms: number): T {
  const held = useRef({ value, at: -Infinity });
  const [, redraw] = useState(0);
  const now = performance.now();
  if (held.current.value !== value && now - held.current.at >= ms) held.current = { value, at: now };
  const behind = held.current.value !== value;
  useEffect(() => {
    if (!behind) return;
    const timer = setTimeout(() => redraw((n) => n + 1), Math.max(0, ms - (performance.now() - held.current.at)));
    return () => clearTimeout(timer);
  }, [behind, value, ms]);
  return held.current.value;
}

/** With a hop filter on, an expanded message shows that hop's frames only. */
function legFilter(hop: string): ((leg: Leg) => boolean) | undefined {
  if (hop.startsWith('observer:')) return (leg) => `observer:${leg.observer}` === hop;
  if (hop.startsWith('leg:')) return (leg) => legOptionKey(leg) === hop;
  return undefined;
}

/**
 * Every message of the connection once, in order, with the hops it crossed; each opens into
 * the frames every hop saw. Search and filters narrow the list; the inspector shows the selection.
 */
export function FramesTab({ connection }: { connection: Connection }) {
  const filter = useLabStore((s) => s.messageFilter);
  const expanded = useLabStore((s) => s.expanded);
  const { model, version } = useMessageModel(connection);
  const { view, error } = useMessageView(model, version, filter);
  useIdleDecoding(model, version);
  const key = filterKey(filter);
  const rows = useMemo(
    () => new RowMap(view, model, expanded, legFilter(filter.hop)),
    // A new version may add rows; `view` and `expanded` say what is shown.
    [view, model, expanded, filter.hop, version],
  );
  // The selects' counts are redrawn at most once a second: a flood of frames need not rebuild three selects each flush.
  const optionsVersion = useThrottled(version, OPTIONS_EVERY_MS);
  const options = useMemo(() => filterOptions(model.counts, model.messages.length), [model, optionsVersion]);
  const partiesKey = [connection.route, ...model.parties].join(' ');
  const parties = useMemo(() => routeParties(connection, model.parties), [partiesKey]);

  useLayoutEffect(() => {
    window.__labPerf?.committed(key);
  });

  return (
    <div className="frames-tab">
      <MessageFilters options={options} shown={view.count} total={model.messages.length} error={error} />
      {model.messages.length === 0 ? (
        <p className="hint">No frames recorded yet on {connection.id}.</p>
      ) : view.count === 0 ? (
        <p className="hint">No message matches these filters. Clear them to see all {model.messages.length}.</p>
      ) : (
        <MessageList model={model} version={version} rows={rows} parties={parties} />
      )}
    </div>
  );
}
