import type { NginxPitfall, NginxPitfallVerdict } from '../../../../server/src/api/types.ts';
import { Badge } from '../../components/Badge.tsx';
import { LineButton } from './ProblemList.tsx';

const TONE = { confirmed: 'error', refuted: 'ok', 'not-run': 'neutral' } as const;
const WORD = { confirmed: 'confirmed by the run', refuted: 'refuted by the run', 'not-run': 'not tested by the run' } as const;

interface Props {
  pitfalls: NginxPitfall[];
  verdicts?: NginxPitfallVerdict[];
  goToLine(line: number): void;
}

/** The known WebSocket pitfalls found in the text, each with what the run showed once there was one. */
export function PitfallList({ pitfalls, verdicts, goToLine }: Props) {
  return (
    <section className="config-pitfalls" aria-labelledby="config-pitfalls-heading">
      <h3 id="config-pitfalls-heading">Pitfalls in the text</h3>
      {pitfalls.length === 0 ? (
        <p className="hint">None of the known WebSocket pitfalls: HTTP/1.1, Upgrade and Connection set again, the port kept, a long read timeout, no dropped headers, the path unchanged.</p>
      ) : (
        <ul aria-label="Pitfalls">
          {pitfalls.map((p, i) => {
            const verdict = verdicts?.find((v) => v.id === p.id && v.line === p.line);
            return (
              <li key={`${p.id}-${p.line}-${i}`} className="pitfall" aria-label={`${p.id}${verdict ? `: ${verdict.verdict}` : ''}`}>
                <p>
                  <LineButton line={p.line} goToLine={goToLine} /> <strong>{p.summary}</strong>{' '}
                  {verdict && <Badge tone={TONE[verdict.verdict]}>{WORD[verdict.verdict]}</Badge>}
                </p>
                {verdict && <p className="verdict-evidence">{verdict.evidence}</p>}
                <p>
                  <span className="label">Fix: </span>
                  {p.fix}
                </p>
                <details>
                  <summary>Why ({p.location.text}, line {p.location.line})</summary>
                  <p>{p.why}</p>
                  <p className="hint">{p.reference}</p>
                </details>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
