import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Party } from '../../../../server/src/transcript/types.ts';
import { useFixedRows } from '../../components/use-fixed-rows.ts';
import { useLabStore } from '../../store/index.ts';
import type { MessageModel } from './message-model.ts';
import { FrameRow, MessageRow } from './MessageRow.tsx';
import type { Row, RowMap } from './row-map.ts';

/** Fixed row height in px; messages.css sets .msg-row to the same. */
const ROW = 46;

interface Props {
  model: MessageModel;
  version: number;
  rows: RowMap;
  parties: readonly Party[];
}

/** The row the selection is on: the frame's own row inside an opened message, else its message's row. */
function selectedRow(model: MessageModel, rows: RowMap, seq: number | null, frameRow: boolean): number {
  if (seq === null) return -1;
  const found = model.locate(seq);
  if (!found) return -1;
  if (rows.isExpanded(found.message.index) && (frameRow || found.frame !== found.message.legs[0]!.frames[0])) {
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
  const frameRowSelected = useLabStore((s) => s.frameRowSelected);
  const selectFrame = useLabStore((s) => s.selectFrame);
  const setExpanded = useLabStore((s) => s.setExpanded);
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const virtual = useFixedRows(scrollRef, rows.count, ROW, following);

  const follow = useCallback((on: boolean) => {
    followingRef.current = on;
    setFollowing(on);
  }, []);

  const current = selectedRow(model, rows, selectedSeq, frameRowSelected);
  const selectRow = (row: Row | undefined) => {
    if (!row) return;
    if (row.kind === 'frame') selectFrame(row.frame.seq, true);
    else selectFrame(model.messages[row.index]!.legs[0]!.frames[0]!.seq);
  };
  const toggle = (index: number, open: boolean) => setExpanded(index, open);
  // Stable callbacks, so a row whose message did not change is not drawn again on a live flush.
  const latest = useRef({ rows, selectRow });
  latest.current = { rows, selectRow };
  const onSelectRow = useCallback((index: number) => latest.current.selectRow(latest.current.rows.rowAt(index)), []);
  const onToggle = useCallback((message: number) => setExpanded(message, !latest.current.rows.isExpanded(message)), [setExpanded]);

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
      // Left on a frame closes its message and selects it, as a tree's parent.
      if (e.key === 'ArrowLeft' && row.kind === 'frame') selectRow({ kind: 'message', index: row.index, position: -1 });
      if (e.key === 'ArrowRight') toggle(row.index, true);
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
    virtual.scrollToIndex(next, 'auto');
  };

  // Opened on a selection (a link, "show this frame"): start there, not at the live tail.
  useLayoutEffect(() => {
    if (current < 0) return;
    follow(false);
    virtual.scrollToIndex(current, 'auto');
    // Only when the list first appears.
  }, []);

  const jumpToLatest = () => {
    follow(true);
    if (rows.count > 0) virtual.scrollToIndex(rows.count - 1, 'end');
  };

  const items: number[] = [];
  for (let i = virtual.first; i <= virtual.last; i++) items.push(i);
  const active = current >= virtual.first && current <= virtual.last ? rows.rowAt(current) : undefined;
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
        <div style={{ height: virtual.total, position: 'relative' }}>
          {/* The drawn rows sit in one block moved to the first of them: a flush moves one element, not every row. */}
          <div className="msg-window" style={{ transform: `translateY(${virtual.first * ROW}px)` }}>
          {items.map((index) => {
            const row = rows.rowAt(index);
            if (!row) return null;
            // Keyed by place in the drawn window, not by message: as the tail moves, each row's DOM is
            // updated in place rather than thrown away and built again.
            const slot = index - virtual.first;
            if (row.kind === 'frame') {
              return (
                <FrameRow
                  key={slot}
                  row={index}
                  frame={row.frame}
                  leg={row.leg}
                  number={model.frameNumber(row.frame.seq)}
                  selected={index === current}
                  onSelect={onSelectRow}
                />
              );
            }
            const message = model.messages[row.index]!;
            return (
              <MessageRow
                key={slot}
                row={index}
                message={message}
                version={message.version}
                parties={parties}
                expanded={rows.isExpanded(row.index)}
                selected={index === current}
                onSelect={onSelectRow}
                onToggle={onToggle}
              />
            );
          })}
          </div>
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
