import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';

export interface FixedRows {
  /** First and last index to render (inclusive), with a few rows beyond the viewport. */
  first: number;
  last: number;
  /** Height of everything, in px. */
  total: number;
  scrollToIndex(index: number, align: 'auto' | 'end'): void;
}

/**
 * Virtual rows of one fixed height: which rows to draw for the scroll position, computed from
 * arithmetic alone, so a list of 200,000 rows costs what its visible rows cost, per render and
 * per live flush (no per-row measurements to rebuild when rows are added). While `followTail`
 * is on, the list shows its end and stays there as rows arrive.
 */
export function useFixedRows(ref: RefObject<HTMLElement | null>, count: number, rowHeight: number, followTail: boolean, overscan = 3): FixedRows {
  const [viewport, setViewport] = useState({ top: 0, height: 0 });

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () =>
      setViewport((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    update();
    el.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, [ref]);

  const total = count * rowHeight;
  const height = viewport.height || rowHeight * 12;
  // Following, the rows to draw are the last ones, whatever the scroll position was a moment ago.
  const top = followTail ? Math.max(0, total - height) : viewport.top;

  // Scrolled in the next animation frame, not now: writing scrollTop right after a commit would force
  // a layout inside the flush, and the frame lays out anyway (the rows drawn already assume the end).
  useEffect(() => {
    if (!followTail) return;
    const frame = requestAnimationFrame(() => {
      const el = ref.current;
      if (el && Math.abs(el.scrollTop - top) > 1) el.scrollTop = top;
    });
    return () => cancelAnimationFrame(frame);
  }, [ref, followTail, top]);

  const scrollToIndex = useCallback(
    (index: number, align: 'auto' | 'end') => {
      const el = ref.current;
      if (!el) return;
      const start = index * rowHeight;
      if (align === 'end') el.scrollTop = Math.max(0, start + rowHeight - el.clientHeight);
      else if (start < el.scrollTop) el.scrollTop = start;
      else if (start + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = start + rowHeight - el.clientHeight;
    },
    [ref, rowHeight],
  );

  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((top + height) / rowHeight) + overscan);
  return { first, last, total, scrollToIndex };
}
