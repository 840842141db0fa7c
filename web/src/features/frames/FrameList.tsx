import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import { FrameHeaderRow, FrameRow } from './FrameRow.tsx';

/** Fixed row height in px; styles.css sets .frame-row to the same. */
const ROW = 32;

/**
 * Frames as a virtualized listbox: only the visible rows exist in the DOM, so 100,000 frames
 * scroll like 100. It follows the tail as frames arrive, until the user scrolls up.
 */
export function FrameList({ frames }: { frames: FrameEvent[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selected = useLabStore((s) => s.selectedFrame);
  const selectFrame = useLabStore((s) => s.selectFrame);
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const virtualizer = useVirtualizer({ count: frames.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 12 });

  const follow = useCallback((on: boolean) => {
    followingRef.current = on;
    setFollowing(on);
  }, []);

  useEffect(() => {
    if (followingRef.current && frames.length > 0) virtualizer.scrollToIndex(frames.length - 1, { align: 'end' });
  }, [frames.length, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 1.5;
    if (atBottom !== followingRef.current) follow(atBottom);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (frames.length === 0) return;
    const at = selected === null ? -1 : frames.findIndex((f) => f.seq === selected);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW * 10) / ROW) - 1);
    const last = frames.length - 1;
    const next =
      e.key === 'ArrowDown' ? Math.min(at + 1, last)
      : e.key === 'ArrowUp' ? Math.max(at - 1, 0)
      : e.key === 'PageDown' ? Math.min(at + page, last)
      : e.key === 'PageUp' ? Math.max(at - page, 0)
      : e.key === 'Home' ? 0
      : e.key === 'End' ? last
      : undefined;
    if (next === undefined) return;
    e.preventDefault();
    follow(next === last);
    selectFrame(frames[next]!.seq);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const jumpToLatest = () => {
    follow(true);
    if (frames.length > 0) virtualizer.scrollToIndex(frames.length - 1, { align: 'end' });
  };

  const activeInView = selected !== null && virtualizer.getVirtualItems().some((v) => frames[v.index]?.seq === selected);
  return (
    <div className="frame-list">
      <FrameHeaderRow />
      <div
        ref={scrollRef}
        className="frame-scroll"
        role="listbox"
        aria-label="Frames"
        tabIndex={0}
        aria-activedescendant={activeInView ? `frame-${selected}` : undefined}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const frame = frames[v.index]!;
            return (
              <FrameRow
                key={frame.seq}
                frame={frame}
                index={v.index}
                total={frames.length}
                top={v.start}
                selected={frame.seq === selected}
                onSelect={selectFrame}
              />
            );
          })}
        </div>
      </div>
      <p className="frame-follow">
        {following ? (
          <span className="hint">Following new frames.</span>
        ) : (
          <button type="button" onClick={jumpToLatest}>
            Jump to latest frame
          </button>
        )}
      </p>
    </div>
  );
}
