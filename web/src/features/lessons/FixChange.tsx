import type { LabInfo } from '../../../../server/src/api/types.ts';
import type { Fix } from '../../lessons/types.ts';
import type { LessonWorld } from '../../lessons/world.ts';
import { DiffLines } from '../connection/DiffLines.tsx';
import { diffLines } from '../connection/line-diff.ts';

/** The "Fix it" step's change, and when both connections went through presets, their configs as a diff. */
export function FixChange({ fix, world, info }: { fix: Fix; world: LessonWorld; info: LabInfo }) {
  const [broken, fixed] = [world.connection(fix.broken), world.connection(fix.fixed)];
  const before = info.presets.find((p) => p.name === broken?.preset);
  const after = info.presets.find((p) => p.name === fixed?.preset);
  const lines = before && after && before.name !== after.name ? diffLines(before.nginxConfig, after.nginxConfig) : undefined;
  return (
    <div className="lesson-fix">
      <p>
        <span className="badge badge-ok">Fix it</span> <span className="label">The change:</span> <code className="wire">{fix.change}</code>
      </p>
      {lines && (
        <pre className="wire diff" role="group" tabIndex={0} aria-label={`The fix: ${before!.name} against ${after!.name}`}>
          <DiffLines lines={lines} />
        </pre>
      )}
    </div>
  );
}
