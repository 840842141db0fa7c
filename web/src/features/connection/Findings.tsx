import { memo } from 'react';
import type { Finding } from '../../../../server/src/transcript/types.ts';
import { PARTY_LABEL } from '../../components/format.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { LessonMarkNote, useLessonMark } from '../lessons/LessonMarkNote.tsx';
import { FixDiff } from './FixDiff.tsx';
import type { ConnectionSummary } from '../connections/connection-state.ts';
import { usePreset } from './use-connection.ts';

function FindingItem({ finding, presetName }: { finding: Finding; presetName: string | undefined }) {
  const preset = usePreset(presetName);
  const marked = useLessonMark('finding') === finding.rule;
  return (
    <li className="finding" data-lesson-mark={marked || undefined}>
      <p className="finding-summary">
        <strong>{finding.summary}</strong> <span className="hint">(at the {PARTY_LABEL[finding.at]})</span>
        {marked && <LessonMarkNote />}
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
interface Props {
  findings: Finding[] | undefined;
  /** The preset the connection went through: a fix's corrected location is shown against its config. */
  preset: string | undefined;
  state: string;
  tone: ConnectionSummary['tone'];
}

export const Findings = memo(function Findings({ findings, preset, state, tone }: Props) {
  if (!findings || findings.length === 0) return null;
  const failed = tone === 'error';
  return (
    <section className={`findings ${failed ? 'findings-failed' : 'findings-clean'}`} aria-label="Findings" tabIndex={0}>
      <h3>
        Findings{' '}
        <span className={`badge ${failed ? 'badge-warn' : 'badge-ok'}`}>
          {failed ? `⚠ ${state}` : tone === 'done' ? `✓ ${state}, clean` : `✓ ${state}`}
        </span>
      </h3>
      <ul>
        {findings.map((f, i) => (
          <FindingItem key={`${f.rule}-${i}`} finding={f} presetName={preset} />
        ))}
      </ul>
    </section>
  );
});
