import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import type { MessageView } from './message-filter.ts';
import type { Leg, MessageModel } from './message-model.ts';

/** One line of the Frames list: a message, or one frame of an expanded message. */
export type Row =
  | { kind: 'message'; index: number; position: number }
  | { kind: 'frame'; index: number; leg: Leg; frame: FrameEvent; nth: number; of: number };

interface Expansion {
  position: number;
  index: number;
  frames: { leg: Leg; frame: FrameEvent }[];
}

/**
 * Where each row of the list comes from, with a few messages expanded into their frames:
 * only the expansions are stored, so a list of 100,000 messages costs nothing per flush.
 */
export class RowMap {
  readonly count: number;
  private readonly expansions: Expansion[] = [];

  constructor(
    private readonly view: MessageView,
    model: MessageModel,
    expanded: readonly number[],
    showLeg: (leg: Leg) => boolean = () => true,
  ) {
    for (const index of expanded) {
      const position = view.positionOf(index);
      const message = model.messages[index];
      if (position < 0 || !message) continue;
      const frames = message.legs.filter(showLeg).flatMap((leg) => leg.frames.map((frame) => ({ leg, frame })));
      this.expansions.push({ position, index, frames });
    }
    this.expansions.sort((a, b) => a.position - b.position);
    this.count = view.count + this.expansions.reduce((n, e) => n + e.frames.length, 0);
  }

  rowAt(row: number): Row | undefined {
    if (row < 0 || row >= this.count) return undefined;
    let offset = 0;
    for (const e of this.expansions) {
      const at = e.position + offset;
      if (row <= at) break;
      if (row <= at + e.frames.length) {
        const nth = row - at - 1;
        const { leg, frame } = e.frames[nth]!;
        return { kind: 'frame', index: e.index, leg, frame, nth, of: e.frames.length };
      }
      offset += e.frames.length;
    }
    const position = row - offset;
    return { kind: 'message', index: this.view.at(position), position };
  }

  /** The row of message `index`, or -1 when the filter hides it. */
  rowOfMessage(index: number): number {
    const position = this.view.positionOf(index);
    if (position < 0) return -1;
    let offset = 0;
    for (const e of this.expansions) {
      if (e.position >= position) break;
      offset += e.frames.length;
    }
    return position + offset;
  }

  /** The row of a frame inside an expanded message, or -1. */
  rowOfFrame(index: number, seq: number): number {
    const message = this.rowOfMessage(index);
    const e = this.expansions.find((x) => x.index === index);
    if (message < 0 || !e) return -1;
    const nth = e.frames.findIndex((f) => f.frame.seq === seq);
    return nth < 0 ? -1 : message + 1 + nth;
  }

  isExpanded(index: number): boolean {
    return this.expansions.some((e) => e.index === index);
  }
}
