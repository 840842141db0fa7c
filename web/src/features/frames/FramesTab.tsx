import { useMemo } from 'react';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import { filterKeyMatches, filterOptions, isFrame } from './frame-format.ts';
import { FrameDetail } from './FrameDetail.tsx';
import { FrameList } from './FrameList.tsx';

/** Every frame every hop observed on this connection, filterable by observer and leg, with a detail pane. */
export function FramesTab({ connection }: { connection: Connection }) {
  const filter = useLabStore((s) => s.frameFilter);
  const setFrameFilter = useLabStore((s) => s.setFrameFilter);
  const selectedSeq = useLabStore((s) => s.selectedFrame);

  const all = useMemo(() => connection.events.filter(isFrame), [connection.events]);
  const options = useMemo(() => filterOptions(all), [all]);
  const frames = useMemo(() => (filter === 'all' ? all : all.filter((f) => filterKeyMatches(filter, f))), [all, filter]);
  const selected = useMemo(() => (selectedSeq === null ? undefined : all.find((f) => f.seq === selectedSeq)), [all, selectedSeq]);

  return (
    <div className="frames-tab">
      <div className="field inline">
        <label htmlFor="frame-filter">Observer / leg</label>
        <select id="frame-filter" value={filter} onChange={(e) => setFrameFilter(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {!options.some((o) => o.value === filter) && <option value={filter}>{filter}</option>}
        </select>
      </div>
      {all.length === 0 ? <p className="hint">No frames recorded yet on {connection.id}.</p> : <FrameList frames={frames} />}
      {selected ? <FrameDetail frame={selected} /> : all.length > 0 && <p className="hint">Select a frame to see its header bits and payload.</p>}
    </div>
  );
}
