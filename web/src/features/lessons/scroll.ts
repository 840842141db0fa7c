/** The nearest ancestor that scrolls vertically. */
function scroller(el: Element): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const { overflowY } = getComputedStyle(p);
    if ((overflowY === 'auto' || overflowY === 'scroll') && p.scrollHeight > p.clientHeight) return p;
  }
  return null;
}

/**
 * Scrolls only the pane that holds `el`, so it shows: at the top (`start`) or just into view
 * (`nearest`). Element.scrollIntoView would scroll every ancestor, the page itself included,
 * and the workbench's page must never move.
 */
export function scrollIntoPane(el: Element, block: 'start' | 'nearest' = 'nearest'): void {
  const pane = scroller(el);
  if (!pane) return;
  const box = el.getBoundingClientRect();
  const view = pane.getBoundingClientRect();
  const top = box.top - view.top;
  if (block === 'start' || box.height > view.height || top < 0) pane.scrollTop += top;
  else if (box.bottom > view.bottom) pane.scrollTop += box.bottom - view.bottom;
}
