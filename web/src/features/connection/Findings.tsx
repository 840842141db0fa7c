import type { Finding } from '../../../../server/src/transcript/types.ts';
import { PARTY_LABEL } from '../../components/format.ts';

/** What the lab's diagnosis found, in plain words with the RFC section behind each. */
export function Findings({ findings, headingLevel = 3 }: { findings: Finding[] | undefined; headingLevel?: 3 | 4 }) {
  if (!findings || findings.length === 0) return null;
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section className="findings" aria-label="Findings">
      <Heading>Findings</Heading>
      <ul>
        {findings.map((f, i) => (
          <li key={`${f.rule}-${i}`} className="finding">
            <p className="finding-summary">
              <strong>{f.summary}</strong> <span className="hint">(at the {PARTY_LABEL[f.at]})</span>
            </p>
            <p>
              <span className="label">Why: </span>
              {f.why}
            </p>
            <p>
              <span className="label">Reference: </span>
              {f.reference}
            </p>
            {f.fix && (
              <p>
                <span className="label">Fix: </span>
                {f.fix}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
