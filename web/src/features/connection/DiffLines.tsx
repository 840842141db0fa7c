import type { DiffLine } from './line-diff.ts';

const MARK = { ' ': 'unchanged', '-': 'removed', '+': 'added' } as const;

/** A line diff as the lab shows it: each line marked unchanged, removed or added, by colour and by sign. */
export function DiffLines({ lines }: { lines: readonly DiffLine[] }) {
  return (
    <>
      {lines.map((l, i) => (
        <span key={i} className={`diff-line diff-${MARK[l.op]}`}>
          <span className="diff-op" title={MARK[l.op]}>
            {l.op}
          </span>
          {` ${l.text}\n`}
        </span>
      ))}
    </>
  );
}
