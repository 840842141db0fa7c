import { useImperativeHandle, useRef, type CSSProperties, type KeyboardEvent, type Ref } from 'react';

export type LineMark = 'error' | 'warn' | 'pitfall';

export interface ConfigEditorHandle {
  /** Focuses the text with line `line` selected, scrolled into view. */
  goToLine(line: number): void;
}

interface Props {
  id: string;
  value: string;
  onChange(value: string): void;
  /** Lines to highlight (1-based), strongest mark wins. */
  marks: ReadonlyMap<number, LineMark>;
  describedBy?: string;
  /** Ctrl+Enter / Cmd+Enter. */
  onSubmit?(): void;
  handle?: Ref<ConfigEditorHandle>;
}

/**
 * A plain textarea (so typing, pasting, undo and screen readers behave as everywhere else)
 * with line numbers beside it and the lines the lab talks about highlighted behind the text.
 * Numbers and highlights are decoration: each is also in the lists below, with its line.
 */
export function ConfigEditor({ id, value, onChange, marks, describedBy, onSubmit, handle }: Props) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const lines = value.split('\n');

  const sync = () => {
    const top = area.current?.scrollTop ?? 0;
    const left = area.current?.scrollLeft ?? 0;
    if (gutter.current) gutter.current.scrollTop = top;
    if (backdrop.current) {
      backdrop.current.scrollTop = top;
      backdrop.current.scrollLeft = left;
    }
  };

  useImperativeHandle(handle, () => ({
    goToLine(line: number) {
      const el = area.current;
      if (!el) return;
      const all = el.value.split('\n');
      const start = all.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
      el.focus();
      el.setSelectionRange(start, start + (all[line - 1]?.length ?? 0));
      const height = parseFloat(getComputedStyle(el).lineHeight) || 24;
      el.scrollTop = Math.max(0, (line - 3) * height);
      sync();
    },
  }));

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSubmit) {
      e.preventDefault();
      onSubmit();
    }
  };

  return (
    // As tall as the text (6 to 18 lines), so the results below stay in view.
    <div className="config-editor" style={{ '--config-rows': Math.min(18, Math.max(6, lines.length + 1)) } as CSSProperties}>
      <div className="config-gutter" ref={gutter} aria-hidden="true">
        {lines.map((_, i) => (
          <div key={i} data-line={i + 1} data-mark={marks.get(i + 1)}>
            {i + 1}
          </div>
        ))}
      </div>
      <div className="config-text">
        <div className="config-backdrop" ref={backdrop} aria-hidden="true">
          {lines.map((line, i) => (
            <div key={i} data-mark={marks.get(i + 1)}>
              {line === '' ? ' ' : line}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          ref={area}
          value={value}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          placeholder={'location /ws/ {\n    proxy_pass http://app:3000;\n    …\n}'}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
          onScroll={sync}
          onKeyDown={onKeyDown}
        />
      </div>
    </div>
  );
}
