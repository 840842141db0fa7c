import type { ReactNode } from 'react';

type Tone = 'neutral' | 'ok' | 'warn' | 'error' | 'info';

/** A short label beside wire data; always text, never colour alone. */
export function Badge({ tone = 'neutral', title, children }: { tone?: Tone; title?: string; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
