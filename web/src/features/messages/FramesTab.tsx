import { useLayoutEffect, useMemo } from 'react';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import { filterOptions } from './filter-options.ts';
import { filterKey } from './message-filter.ts';
import { legOptionKey, type Leg } from './message-model.ts';
import { MessageFilters } from './MessageFilters.tsx';
import { MessageList } from './MessageList.tsx';
import { RowMap } from './row-map.ts';
import { routeParties, useMessageModel, useMessageView } from './use-message-model.ts';

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
  const key = filterKey(filter);
  const rows = useMemo(
    () => new RowMap(view, model, expanded, legFilter(filter.hop)),
    // A new version may add rows; `view` and `expanded` say what is shown.
    [view, model, expanded, filter.hop, version],
  );
  const options = useMemo(() => filterOptions(model.counts, model.messages.length), [model, version]);
  const parties = useMemo(() => routeParties(connection, model.parties), [connection.route, model, version]);

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
