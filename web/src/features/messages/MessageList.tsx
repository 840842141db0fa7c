import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Party } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import type { MessageModel } from './message-model.ts';
import { FrameRow, MessageRow } from './MessageRow.tsx';
import type { Row, RowMap } from './row-map.ts';

/** Fixed row height in px; frames.css sets .msg-row to the same. */
const ROW = 46;

interface Props {
  model: MessageModel;
  version: number;
  rows: RowMap;
  parties: readonly Party[];
}

/** The row the selection is on: the frame's own row inside an expanded message, else its message's row. */
function selectedRow(model: MessageModel, rows: RowMap, seq: number | null): number {
  if (seq === null) return -1;
  const found = model.locate(seq);
  if (!found) return -1;
  if (rows.isExpanded(found.message.index)) {
    const row = rows.rowOfFrame(found.message.index, seq);
    if (row >= 0) return row;
  }
  return rows.rowOfMessage(found.message.index);
}

/**
 * Messages as a virtualized listbox: only the visible rows exist in the DOM, so 100,000
 * messages scroll like 100. It follows the tail as messages arrive, until the user scrolls up.
 * Keys: arrows move, Right opens a message into its frames, Left closes it, Enter toggles.
 */
export function MessageList({ model, version, rows, parties }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selectedSeq = useLabStore((s) => s.selectedFrame);
  const selectFrame = useLabStore((s) => s.selectFrame);
  const setExpanded = useLabStore((s) => s.setExpanded);
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const virtualizer = useVirtualizer({ count: rows.count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 10 });

  const follow = useCallback((on: boolean) => {
    followingRef.current = on;
    setFollowing(on);
  }, []);

  useEffect(() => {
    if (followingRef.current && rows.count > 0) virtualizer.scrollToIndex(rows.count - 1, { align: 'end' });
  }, [rows.count, virtualizer]);

  const current = selectedRow(model, rows, selectedSeq);
  const selectRow = (row: Row | undefined) => {
    if (!row) return;
    selectFrame(row.kind === 'frame' ? row.frame.seq : model.messages[row.index]!.legs[0]!.frames[0]!.seq);
  };
  const toggle = (index: number, open: boolean) => setExpanded(index, open);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 1.5;
    if (atBottom !== followingRef.current) follow(atBottom);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (rows.count === 0) return;
    const row = rows.rowAt(current);
    if (row && (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      const open = rows.isExpanded(row.index);
      if (e.key === 'ArrowLeft' && row.kind === 'frame') selectRow(rows.rowAt(rows.rowOfMessage(row.index)));
      else if (e.key === 'ArrowRight') toggle(row.index, true);
      else toggle(row.index, e.key === 'ArrowLeft' ? false : !open);
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW * 10) / ROW) - 1);
    const last = rows.count - 1;
    const next =
      e.key === 'ArrowDown' ? Math.min(current + 1, last)
      : e.key === 'ArrowUp' ? Math.max(current - 1, 0)
      : e.key === 'PageDown' ? Math.min(current + page, last)
      : e.key === 'PageUp' ? Math.max(current - page, 0)
      : e.key === 'Home' ? 0
      : e.key === 'End' ? last
      : undefined;
    if (next === undefined) return;
    e.preventDefault();
    follow(next === last);
    selectRow(rows.rowAt(next));
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const jumpToLatest = () => {
    follow(true);
    if (rows.count > 0) virtualizer.scrollToIndex(rows.count - 1, { align: 'end' });
  };

  const items = virtualizer.getVirtualItems();
  const active = items.some((v) => v.index === current) ? rows.rowAt(current) : undefined;
  const activeId = active === undefined ? undefined : active.kind === 'frame' ? `frame-${active.frame.seq}` : `msg-${active.index}`;
  return (
    <div className="message-list">
      <div
        ref={scrollRef}
        className="message-scroll"
        role="listbox"
        aria-label="Messages"
        aria-describedby="message-list-keys"
        tabIndex={0}
        aria-activedescendant={activeId}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const row = rows.rowAt(v.index);
            if (!row) return null;
            if (row.kind === 'frame') {
              return (
                <FrameRow
                  key={`f${row.frame.seq}`}
                  frame={row.frame}
                  leg={row.leg}
                  number={model.frameNumber(row.frame.seq)}
                  top={v.start}
                  selected={v.index === current}
                  onSelect={() => selectFrame(row.frame.seq)}
                />
              );
            }
            const message = model.messages[row.index]!;
            return (
              <MessageRow
                key={`m${row.index}`}
                message={message}
                version={message.version}
                parties={parties}
                expanded={rows.isExpanded(row.index)}
                top={v.start}
                selected={v.index === current}
                onSelect={() => selectRow(row)}
                onToggle={() => toggle(row.index, !rows.isExpanded(row.index))}
              />
            );
          })}
        </div>
      </div>
      <p id="message-list-keys" className="visually-hidden">
        Up and Down move between messages; Right shows a message's frames on every leg, Left hides them.
      </p>
      <p className="list-follow">
        {following ? (
          <span className="hint">Following new messages.</span>
        ) : (
          <button type="button" onClick={jumpToLatest}>
            Jump to latest
          </button>
        )}
      </p>
    </div>
  );
}
