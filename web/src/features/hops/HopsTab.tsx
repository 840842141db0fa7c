import type { Connection } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import { SequenceDiagram } from './SequenceDiagram.tsx';
import { hopsOf, useSelectedStep } from './use-hops.ts';

/** Browser → proxy → echo and back, as a sequence diagram; the selected arrow's raw head is in the inspector. */
export function HopsTab({ connection }: { connection: Connection }) {
  const hops = hopsOf(connection);
  const selected = useSelectedStep(hops);
  const selectHop = useLabStore((s) => s.selectHop);
  const { sequence, changes } = hops;
  if (sequence.steps.length === 0) return <p className="hint">Nothing recorded yet for {connection.id}.</p>;
  return (
    <div className="hops">
      <p className="hint">
        Each arrow is what one hop observed: a request, a response, or a run of frames on one leg. Select one to see it in the
        inspector. A hop that is not the lab's own (real nginx) cannot report what it received or sent; what its neighbours saw is
        shown.
      </p>
      <SequenceDiagram parties={sequence.parties} steps={sequence.steps} selected={selected?.id} changes={changes} onSelect={selectHop} />
    </div>
  );
}
