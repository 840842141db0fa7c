import type { ReactNode } from 'react';
import { hopByHopReason } from '../handshake/hop-by-hop.ts';
import { LessonMarkNote, useLessonMark } from '../lessons/LessonMarkNote.tsx';
import { describeChange, isDifference, type ChangeWords, type HeaderDiffRow } from './header-diff.ts';

function Value({ value }: { value: string | undefined }) {
  return value === undefined ? <span className="absent">(absent)</span> : <span className="wire">{value}</span>;
}

function ChangeCell({ row, words }: { row: HeaderDiffRow; words: ChangeWords | undefined }) {
  return (
    <td className="change">
      {describeChange(row, words)}
      {row.hopByHop && (
        <span className="badge badge-warn" title={hopByHopReason(row.name)}>
          hop-by-hop
        </span>
      )}
    </td>
  );
}

interface Props {
  rows: HeaderDiffRow[];
  caption: ReactNode;
  /** Accessible name of the table. */
  label: string;
  beforeLabel: string;
  afterLabel: string;
  changeWords?: ChangeWords;
}

/**
 * Header by header, the earlier hop against the later one. Every row says its change in words
 * (never colour alone); hop-by-hop headers carry a badge with the RFC 9110 §7.6.1 reason.
 */
export function HeaderDiffTable({ rows, caption, label, beforeLabel, afterLabel, changeWords }: Props) {
  const differences = rows.filter(isDifference).length;
  const marked = useLessonMark('header');
  return (
    <table className="header-diff" aria-label={label}>
      <caption>
        {caption} <span className="hint">({differences === 0 ? 'no differences' : `${differences} of ${rows.length} headers differ`})</span>
      </caption>
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">{beforeLabel}</th>
          <th scope="col">{afterLabel}</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={`${row.name}-${i}`} className={`diff-${row.change}${row.proxy ? ' diff-hop' : ''}`} data-lesson-mark={marked === row.name.toLowerCase() || undefined}>
            <th scope="row" className="wire">
              {row.name}
              {marked === row.name.toLowerCase() && <LessonMarkNote />}
            </th>
            <td>
              <Value value={row.before} />
            </td>
            <td>
              <Value value={row.after} />
            </td>
            <ChangeCell row={row} words={changeWords} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
