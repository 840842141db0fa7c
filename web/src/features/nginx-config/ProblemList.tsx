import type { NginxConfigResult } from '../../../../server/src/api/types.ts';
import { Badge } from '../../components/Badge.tsx';

interface Props {
  result: NginxConfigResult;
  goToLine(line: number): void;
}

/** Why the config does not run: the lines the lab refuses, and nginx -t's own words; warnings when it passed. */
export function ProblemList({ result, goToLine }: Props) {
  const { refusals, test } = result;
  if (refusals.length === 0 && test.length === 0) return null;
  const failed = result.outcome !== 'running';
  return (
    <section className="config-problems" aria-labelledby="config-problems-heading">
      <h3 id="config-problems-heading">{refusals.length > 0 ? 'Lines the lab will not run' : failed ? 'nginx -t failed' : 'nginx -t warnings'}</h3>
      <ul>
        {refusals.map((r, i) => (
          <li key={`r-${i}`}>
            <LineButton line={r.line} goToLine={goToLine} /> <code>{r.directive}</code> <Badge tone="error">{r.kind}</Badge>
            <p>{r.reason}</p>
          </li>
        ))}
        {test.map((m, i) => (
          <li key={`t-${i}`}>
            {m.line !== undefined && <LineButton line={m.line} goToLine={goToLine} />}{' '}
            <samp className="nginx-said">
              nginx: [{m.level}] {m.text}
            </samp>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function LineButton({ line, goToLine }: { line: number; goToLine(line: number): void }) {
  return (
    <button type="button" className="line-button" onClick={() => goToLine(line)} aria-label={`Go to line ${line}`}>
      Line {line}
    </button>
  );
}
