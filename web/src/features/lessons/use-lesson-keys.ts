import { useEffect } from 'react';
import type { LessonControls } from './lesson-control.ts';

/** Widgets that use the arrow keys themselves: a key pressed in one is theirs. */
const OWN_KEYS = 'input, textarea, select, [contenteditable], [role="listbox"], [role="separator"], [role="tablist"], [role="tree"], .sequence-steps, dialog, [popover]';

/**
 * The player's keys, anywhere on the page that does not need them: Right or Page Down for the
 * next step, Left or Page Up for the one before, Escape to leave the lesson (its connections stay).
 */
export function useLessonKeys(controls: LessonControls, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest(OWN_KEYS)) return;
      // An open popover or dialog takes Escape for itself.
      if (e.key === 'Escape' && document.querySelector(':popover-open, dialog[open]')) return;
      const act =
        e.key === 'ArrowRight' || e.key === 'PageDown' ? controls.next
        : e.key === 'ArrowLeft' || e.key === 'PageUp' ? controls.back
        : e.key === 'Escape' ? controls.freePlay
        : undefined;
      if (!act) return;
      e.preventDefault();
      act();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [controls, active]);
}
