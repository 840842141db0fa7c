import { useMemo } from 'react';
import type { PresetInfo } from '../../../../server/src/api/types.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { DiffLines } from './DiffLines.tsx';
import { diffLines, diffText } from './line-diff.ts';

/** The corrected nginx location in full, as a diff against the config the connection used, with copies of both. */
export function FixDiff({ fixConfig, preset }: { fixConfig: string; preset: PresetInfo | undefined }) {
  const lines = useMemo(() => (preset ? diffLines(preset.nginxConfig, fixConfig) : undefined), [preset, fixConfig]);
  return (
    <div className="fix-config">
      <p className="row">
        <span className="label">The corrected location{preset ? `, against ${preset.name}'s` : ''}:</span>
        <CopyButton what="the corrected nginx location block" label="Copy the fix" text={fixConfig} />
        {lines && <CopyButton what="the fix as a diff" label="Copy diff" text={() => diffText(lines)} />}
      </p>
      <pre className="wire diff" role="group" tabIndex={0} aria-label={preset ? `Fix: diff against the ${preset.name} configuration` : 'Fix: the corrected nginx location'}>
        {lines ? <DiffLines lines={lines} /> : fixConfig}
      </pre>
    </div>
  );
}
