import type { Connection } from '../../../../server/src/transcript/types.ts';
import { isConnectReply } from '../../../../server/src/shared/connect.ts';
import { useLabStore } from '../../store/index.ts';
import { isDifference } from './header-diff.ts';
import { previousHop, type HopPair } from './message-hops.ts';
import { buildSequence, type Sequence, type Step } from './sequence.ts';

export interface Hops {
  sequence: Sequence;
  pairs: Map<string, HopPair>;
  changes: Map<string, number>;
  /** What to show when nothing is chosen: what the proxy did to the request, the reason this tab exists. */
  first: string | undefined;
}

/** One build per events list and length (lists grow in place), shared by the diagram and the inspector. */
const built = new WeakMap<readonly unknown[], { length: number; hops: Hops }>();

export function hopsOf(connection: Connection): Hops {
  const cached = built.get(connection.events);
  if (cached && cached.length === connection.events.length) return cached.hops;
  const sequence = buildSequence(connection);
  const pairs = new Map<string, HopPair>();
  for (const step of sequence.steps) {
    // A CONNECT and its reply are the tunnel's own: nothing before them to compare against.
    if (step.kind !== 'head' || step.event.kind === 'connect' || isConnectReply(step.event)) continue;
    const pair = previousHop(connection.events, sequence.parties, step.event);
    if (pair) pairs.set(step.id, pair);
  }
  const changes = new Map([...pairs].map(([id, pair]) => [id, pair.rows.filter(isDifference).length]));
  const first = (sequence.steps.find((s) => pairs.get(s.id)?.relation === 'through') ?? sequence.steps[0])?.id;
  const hops = { sequence, pairs, changes, first };
  built.set(connection.events, { length: connection.events.length, hops });
  return hops;
}

/** The arrow selected in the Hops tab, or the one it opens on. */
export function useSelectedStep(hops: Hops): Step | undefined {
  const chosen = useLabStore((s) => s.selectedHop);
  const steps = hops.sequence.steps;
  return steps.find((s) => s.id === chosen) ?? steps.find((s) => s.id === hops.first);
}
