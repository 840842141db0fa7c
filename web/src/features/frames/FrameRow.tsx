import { memo } from 'react';
import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { direction, formatCount, formatTime } from '../../components/format.ts';
import { opcodeName, preview } from './frame-format.ts';

const flag = (on: boolean, name: string) => (on ? name : '·');

/** One frame as a row of the virtualized list; the column template lives in styles.css (.frame-grid). */
export const FrameRow = memo(function FrameRow({ frame, selected, index, total, top, onSelect }: {
  frame: FrameEvent;
  selected: boolean;
  index: number;
  total: number;
  top: number;
  onSelect: (seq: number) => void;
}) {
  return (
    <div
      role="option"
      id={`frame-${frame.seq}`}
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={total}
      className="frame-row frame-grid"
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onSelect(frame.seq)}
    >
      <span className="wire">{formatTime(frame.time)}</span>
      <span>{frame.observer}</span>
      <span className="wire">{direction(frame)}</span>
      <span title="FIN">{flag(frame.fin, 'FIN')}</span>
      <span className="wire" title="RSV1 RSV2 RSV3">
        {`${frame.rsv1 ? 1 : 0}${frame.rsv2 ? 1 : 0}${frame.rsv3 ? 1 : 0}`}
      </span>
      <span>{opcodeName(frame.opcode)}</span>
      <span>{flag(frame.masked, 'masked')}</span>
      <span className="num">{formatCount(frame.length)}</span>
      <span className="wire preview">{preview(frame)}</span>
    </div>
  );
});

export function FrameHeaderRow() {
  return (
    <div className="frame-grid frame-header" aria-hidden="true">
      <span>time</span>
      <span>observer</span>
      <span>direction</span>
      <span>FIN</span>
      <span>RSV1-3</span>
      <span>opcode</span>
      <span>masked</span>
      <span className="num">length</span>
      <span>payload</span>
    </div>
  );
}
