import type { Connection } from '../../../../server/src/transcript/types.ts';
import { useMessageModel } from '../messages/use-message-model.ts';
import { HopDetail } from './HopDetail.tsx';
import { hopsOf, useSelectedStep } from './use-hops.ts';

/** The inspector's view of the Hops tab: the selected arrow in detail. */
export function HopInspector({ connection }: { connection: Connection }) {
  const hops = hopsOf(connection);
  const selected = useSelectedStep(hops);
  const { model } = useMessageModel(connection);
  if (!selected) return <p className="hint">Nothing recorded yet for {connection.id}.</p>;
  return <HopDetail step={selected} pair={hops.pairs.get(selected.id)} frameNumber={(seq) => model.frameNumber(seq)} />;
}
