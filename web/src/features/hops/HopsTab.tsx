import { useMemo } from 'react';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { useLabStore } from '../../store/index.ts';
import { HopDetail } from './HopDetail.tsx';
import { isDifference } from './header-diff.ts';
import { previousHop, type HopPair } from './message-hops.ts';
import { buildSequence } from './sequence.ts';
import { SequenceDiagram } from './SequenceDiagram.tsx';

/** The sequence, and for each request or response arrow the diff against its previous hop. */
function useHops(connection: Connection) {
  return useMemo(() => {
    const sequence = buildSequence(connection);
    const pairs = new Map<string, HopPair>();
    for (const step of sequence.steps) {
      if (step.kind !== 'head' || step.event.kind === 'connect') continue;
      const pair = previousHop(connection.events, sequence.parties, step.event);
      if (pair) pairs.set(step.id, pair);
    }
    const changes = new Map([...pairs].map(([id, pair]) => [id, pair.rows.filter(isDifference).length]));
    // With nothing selected, open on what the proxy did to the request: the reason this tab exists.
    const first = sequence.steps.find((s) => pairs.get(s.id)?.relation === 'through') ?? sequence.steps[0];
    return { sequence, pairs, changes, first: first?.id };
  }, [connection]);
}

/** Browser → proxy → echo and back, as a sequence diagram; selecting an arrow shows its raw head. */
export function HopsTab({ connection }: { connection: Connection }) {
  const { sequence, pairs, changes, first } = useHops(connection);
  const chosen = useLabStore((s) => (s.selectedHop?.conn === connection.id ? s.selectedHop.step : undefined));
  const selectHop = useLabStore((s) => s.selectHop);
  const selected = sequence.steps.find((s) => s.id === chosen) ?? sequence.steps.find((s) => s.id === first);

  if (sequence.steps.length === 0) return <p className="hint">Nothing recorded yet for {connection.id}.</p>;
  return (
    <div className="hops">
      <p className="hint">
        Each arrow is what one hop observed: a request, a response, or a run of frames on one leg. A hop that is not
        the lab's own (real nginx) cannot report what it received or sent; what its neighbours saw is shown.
      </p>
      <SequenceDiagram
        parties={sequence.parties}
        steps={sequence.steps}
        selected={selected?.id}
        changes={changes}
        onSelect={(step) => selectHop(connection.id, step)}
      />
      {selected && <HopDetail step={selected} pair={pairs.get(selected.id)} />}
    </div>
  );
}
