import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { PANE_LIMITS } from '../store/layout-slice.ts';
import { useLabStore, type PaneName } from '../store/index.ts';

const STEP = 16;

/**
 * The window-splitter pattern (WAI-ARIA): drag it, or focus it and use Left/Right (Shift for
 * bigger steps), Home/End for the narrowest and widest, Enter to hide or show the pane.
 */
export function Splitter({ pane, label }: { pane: PaneName; label: string }) {
  const { open, width } = useLabStore((s) => s.layout.panes[pane]);
  const setPane = useLabStore((s) => s.setPane);
  const drag = useRef<{ x: number; width: number } | null>(null);
  const limits = PANE_LIMITS[pane];
  // The sidebar grows to the right, the inspector to the left.
  const sign = pane === 'sidebar' ? 1 : -1;

  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? STEP * 4 : STEP;
    const next =
      e.key === 'ArrowRight' ? width + sign * step
      : e.key === 'ArrowLeft' ? width - sign * step
      : e.key === 'Home' ? limits.min
      : e.key === 'End' ? limits.max
      : undefined;
    if (e.key === 'Enter') {
      e.preventDefault();
      setPane(pane, { open: !open });
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    setPane(pane, { width: next, open: true });
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (!open) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, width };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    setPane(pane, { width: drag.current.width + sign * (e.clientX - drag.current.x) });
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-controls={`pane-${pane}`}
      aria-valuenow={open ? width : limits.min}
      aria-valuemin={limits.min}
      aria-valuemax={limits.max}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onDoubleClick={() => setPane(pane, { open: !open })}
      title={`${label}: drag, or use the arrow keys; Enter hides or shows it`}
    />
  );
}
