import type { ReactNode } from 'react';
import type { Party } from '../../../../server/src/transcript/types.ts';
import { PARTY_LABEL } from '../../components/format.ts';
import type { Direction, Leg } from './message-model.ts';

/** Between two neighbouring parties: whether any hop recorded the message on that stretch. */
function seenBetween(legs: readonly Leg[], a: Party, b: Party, parties: readonly Party[]): Party[] {
  const at = (p: Party) => parties.indexOf(p);
  const [lo, hi] = [Math.min(at(a), at(b)), Math.max(at(a), at(b))];
  const observers = new Set<Party>();
  for (const leg of legs) {
    const [from, to] = [at(leg.from), at(leg.to)];
    // A tunnel (the forward proxy's view from browser to echo) spans the stretches inside it.
    if (Math.min(from, to) <= lo && Math.max(from, to) >= hi) observers.add(leg.observer);
  }
  return [...observers];
}

interface Props {
  /** The route's parties, left to right (browser first). */
  parties: readonly Party[];
  direction: Direction;
  legs: readonly Leg[];
}

/**
 * The hops a message crossed, in the order it crossed them, as badges: each party in its own
 * colour and by name, and between two parties a solid arrow where a hop recorded it, a dotted
 * one where none did.
 */
export function HopPath({ parties, direction, legs }: Props) {
  const path = direction === 'out' ? parties : [...parties].reverse();
  // Few elements: this is drawn in every row of a list that scrolls at thousands of messages a second.
  const parts: ReactNode[] = [];
  path.forEach((party, i) => {
    const next = path[i + 1];
    parts.push(
      <span key={party} className={`party-badge party-${party}`}>
        {party}
      </span>,
    );
    if (next !== undefined) parts.push(seenBetween(legs, party, next, parties).length > 0 ? ' → ' : ' ⇢ ');
  });
  const seenBy = [...new Set(legs.map((l) => PARTY_LABEL[l.observer]))];
  return (
    <span className="hop-path" title={`${path.join(' → ')}: seen by the ${seenBy.join(' and the ')} (⇢ marks a stretch no hop recorded)`}>
      {parts}
    </span>
  );
}
