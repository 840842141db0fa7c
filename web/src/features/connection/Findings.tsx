import type { Connection, Finding } from '../../../../server/src/transcript/types.ts';
import { PARTY_LABEL } from '../../components/format.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { FixDiff } from './FixDiff.tsx';
import { useConnectionSummary, usePreset } from './use-connection.ts';

function FindingItem({ finding, connection }: { finding: Finding; connection: Connection }) {
  const preset = usePreset(connection);
  return (
    <li className="finding">
      <p className="finding-summary">
        <strong>{finding.summary}</strong> <span className="hint">(at the {PARTY_LABEL[finding.at]})</span>
      </p>
      <p>
        <span className="label">Why: </span>
        {finding.why}
      </p>
      <p className="hint">
        <span className="label">Reference: </span>
        {finding.reference}
      </p>
      {finding.fix && (
        <p className="finding-fix">
          <span className="label">Fix: </span>
          {finding.fix} <CopyButton what="the fix" text={finding.fix} />
        </p>
      )}
      {finding.fixConfig && <FixDiff fixConfig={finding.fixConfig} preset={preset} />}
    </li>
  );
}

/**
 * What the lab's diagnosis found, in plain words with the RFC section behind each, shown once.
 * A connection that ended cleanly (or is open) reads as such; amber is for one that failed.
 */
export function Findings({ connection }: { connection: Connection }) {
  const summary = useConnectionSummary(connection);
  const findings = connection.findings;
  if (!findings || findings.length === 0) return null;
  const failed = summary.tone === 'error';
  return (
    <section className={`findings ${failed ? 'findings-failed' : 'findings-clean'}`} aria-label="Findings" tabIndex={0}>
      <h3>
        Findings{' '}
        <span className={`badge ${failed ? 'badge-warn' : 'badge-ok'}`}>
          {failed ? `⚠ ${summary.state}` : summary.tone === 'done' ? `✓ ${summary.state}, clean` : `✓ ${summary.state}`}
        </span>
      </h3>
      <ul>
        {findings.map((f, i) => (
          <FindingItem key={`${f.rule}-${i}`} finding={f} connection={connection} />
        ))}
      </ul>
    </section>
  );
}
