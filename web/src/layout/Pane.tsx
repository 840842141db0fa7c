import type { ReactNode } from 'react';
import { useLabStore, type PaneName } from '../store/index.ts';

interface Props {
  name: PaneName;
  title: string;
  /** What the pane is called in "Hide …" and "Show …". */
  noun: string;
  children: ReactNode;
  className?: string;
}

/** A side pane with a header that hides it; hidden, it leaves a narrow rail with a button to bring it back. */
export function Pane({ name, title, noun, children, className }: Props) {
  const open = useLabStore((s) => s.layout.panes[name].open);
  const setPane = useLabStore((s) => s.setPane);
  const id = `pane-${name}`;
  const headingId = `${id}-heading`;
  if (!open) {
    return (
      <aside className={`pane rail ${className ?? ''}`} id={id} aria-label={title}>
        <button type="button" className="rail-button" aria-expanded={false} aria-controls={id} onClick={() => setPane(name, { open: true })}>
          <span aria-hidden="true">{name === 'sidebar' ? '»' : '«'}</span>
          <span className="rail-label">Show {noun}</span>
        </button>
      </aside>
    );
  }
  return (
    <aside className={`pane ${className ?? ''}`} id={id} aria-labelledby={headingId}>
      <div className="pane-header">
        <h2 id={headingId}>{title}</h2>
        <button
          type="button"
          className="icon-button"
          aria-expanded={true}
          aria-controls={id}
          aria-label={`Hide ${noun}`}
          title={`Hide ${noun}`}
          onClick={() => setPane(name, { open: false })}
        >
          <span aria-hidden="true">{name === 'sidebar' ? '«' : '»'}</span>
        </button>
      </div>
      <div className="pane-body">{children}</div>
    </aside>
  );
}
