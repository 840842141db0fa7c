import type { Party } from '../../../../server/src/transcript/types.ts';
import { formatCount, PARTY_LABEL, PARTY_ORDER } from '../../components/format.ts';
import { opcodeName } from '../frames/frame-format.ts';
import type { MessageCounts } from './message-model.ts';

export interface FilterOption {
  value: string;
  label: string;
}

export interface FilterOptions {
  direction: FilterOption[];
  opcode: FilterOption[];
  hop: FilterOption[];
}

const n = (count: number | undefined) => `(${formatCount(count ?? 0)})`;

/** Which way a message went, in words that need no colour: an arrow and who sent it. */
export const DIRECTION_TEXT = { out: '↑ sent', in: '↓ received' } as const;
export const DIRECTION_TITLE = {
  out: 'sent by the client, toward the server',
  in: 'received by the client, from the server',
} as const;

/**
 * The choices of the three filter selects, from counts the model keeps as messages arrive:
 * no pass over the messages, in a fixed order (parties left to right, opcodes by number).
 */
export function filterOptions(counts: MessageCounts, total: number): FilterOptions {
  const direction: FilterOption[] = [
    { value: 'all', label: `Both directions ${n(total)}` },
    { value: 'out', label: `${DIRECTION_TEXT.out} by the client ${n(counts.direction.out)}` },
    { value: 'in', label: `${DIRECTION_TEXT.in} by the client ${n(counts.direction.in)}` },
  ];
  const opcode: FilterOption[] = [{ value: 'all', label: `Every opcode ${n(total)}` }];
  for (const code of [...counts.opcode.keys()].sort((a, b) => a - b)) {
    opcode.push({ value: String(code), label: `${opcodeName(code)} ${n(counts.opcode.get(code))}` });
  }
  const hop: FilterOption[] = [{ value: 'all', label: `Every hop ${n(total)}` }];
  const legsBy = new Map<Party, string[]>();
  for (const key of counts.leg.keys()) {
    const observer = key.split(':')[1] as Party;
    legsBy.set(observer, [...(legsBy.get(observer) ?? []), key]);
  }
  for (const observer of PARTY_ORDER) {
    const count = counts.observer.get(observer);
    if (count === undefined) continue;
    hop.push({ value: `observer:${observer}`, label: `seen by the ${PARTY_LABEL[observer]} ${n(count)}` });
    const legs = (legsBy.get(observer) ?? []).sort();
    if (legs.length < 2) continue;
    for (const key of legs) {
      const [a, b] = key.split(':')[2]!.split('|') as [Party, Party];
      hop.push({ value: key, label: `seen by the ${PARTY_LABEL[observer]}: ${a} ↔ ${b} ${n(counts.leg.get(key))}` });
    }
  }
  return { direction, opcode, hop };
}
