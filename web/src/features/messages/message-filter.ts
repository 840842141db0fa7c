import type { Party } from '../../../../server/src/transcript/types.ts';
import { legOptionKey, messageText, type Direction, type Message, type MessageModel } from './message-model.ts';
import { legPayload } from './message-payload.ts';

/** What the Frames tab shows: every choice at its default shows every message. */
export interface MessageFilter {
  direction: 'all' | Direction;
  /** 'all' or an opcode, as a string so it sits in a select and a URL. */
  opcode: string;
  /** 'all', `observer:<party>` or `leg:<observer>:<a>|<b>`. */
  hop: string;
  search: string;
  regex: boolean;
}

export const NO_FILTER: MessageFilter = { direction: 'all', opcode: 'all', hop: 'all', search: '', regex: false };

export function isFiltering(f: MessageFilter): boolean {
  return f.direction !== 'all' || f.opcode !== 'all' || f.hop !== 'all' || f.search.trim() !== '';
}

export function filterKey(f: MessageFilter): string {
  return JSON.stringify([f.direction, f.opcode, f.hop, f.search.trim(), f.regex]);
}

/** "48 69 ff", "4869ff" or "0x48,0x69": the bytes a search for hex means, when it is hex at all. */
export function hexQuery(search: string): string | undefined {
  const digits = search.replace(/0x/gi, '').replace(/[\s,:]/g, '');
  if (digits.length < 2 || digits.length % 2 !== 0 || /[^0-9a-f]/i.test(digits)) return undefined;
  let bytes = '';
  for (let i = 0; i < digits.length; i += 2) bytes += String.fromCharCode(parseInt(digits.slice(i, i + 2), 16));
  return bytes;
}

/** The first leg's payload as a byte string (one char per byte), computed once per message when a hex search needs it. */
const byteStrings = new WeakMap<Message, { frames: number; bytes: string }>();
function byteString(message: Message): string {
  const frames = message.legs[0]!.frames;
  const cached = byteStrings.get(message);
  if (cached && cached.frames === frames.length) return cached.bytes;
  const payload = legPayload(frames).bytes;
  let bytes = '';
  for (let i = 0; i < payload.length; i += 4096) bytes += String.fromCharCode(...payload.subarray(i, i + 4096));
  byteStrings.set(message, { frames: frames.length, bytes });
  return bytes;
}

export type Matcher = (m: Message) => boolean;

/** A predicate for `filter`, or the reason its regular expression does not compile. */
export function compileFilter(filter: MessageFilter): { match: Matcher } | { error: string } {
  const tests: Matcher[] = [];
  if (filter.direction !== 'all') {
    const way = filter.direction;
    tests.push((m) => m.direction === way);
  }
  if (filter.opcode !== 'all') {
    const opcode = Number(filter.opcode);
    tests.push((m) => m.opcode === opcode);
  }
  if (filter.hop.startsWith('observer:')) {
    const observer = filter.hop.slice('observer:'.length) as Party;
    tests.push((m) => m.legs.some((l) => l.observer === observer));
  } else if (filter.hop.startsWith('leg:')) {
    const key = filter.hop;
    tests.push((m) => m.legs.some((l) => legOptionKey(l) === key));
  }
  const search = filter.search.trim();
  if (search !== '') {
    if (filter.regex) {
      let re: RegExp;
      try {
        re = new RegExp(search, 'i');
      } catch (error) {
        return { error: `Not a regular expression: ${(error as Error).message}` };
      }
      tests.push((m) => re.test(messageText(m).text));
    } else {
      // Case ignored by the regular expression engine: no lower-cased copy of every message to keep.
      const words = new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      const bytes = hexQuery(search);
      tests.push(bytes === undefined ? (m) => words.test(messageText(m).text) : (m) => words.test(messageText(m).text) || byteString(m).includes(bytes));
    }
  }
  return { match: (m) => tests.every((t) => t(m)) };
}

/**
 * Whatever `next` lets through, `before` let through too: the same choices, and a plain search
 * that contains the old one (hex searches excepted: "4" does not find 0x48, "48" does).
 */
export function canNarrow(before: MessageFilter, next: MessageFilter): boolean {
  const [a, b] = [before.search.trim().toLowerCase(), next.search.trim().toLowerCase()];
  return (
    before.direction === next.direction &&
    before.opcode === next.opcode &&
    before.hop === next.hop &&
    !before.regex &&
    !next.regex &&
    a !== '' &&
    b.includes(a) &&
    hexQuery(b) === undefined
  );
}

/** The messages a filter lets through, as positions in the model's list. */
export interface MessageView {
  readonly count: number;
  /** The message index shown at position `i`. */
  at(i: number): number;
  /** Where message `index` is shown, or -1. */
  positionOf(index: number): number;
}

/** No filter: every message, with no list to keep. */
export class AllMessages implements MessageView {
  constructor(private readonly model: MessageModel) {}
  get count() {
    return this.model.messages.length;
  }
  at(i: number) {
    return i;
  }
  positionOf(index: number) {
    return index < this.model.messages.length ? index : -1;
  }
}

/**
 * The messages that match, kept incrementally: a sync tests only messages added or changed
 * since the last one (a message changes when another hop's observation or fragment arrives).
 */
export class FilteredMessages implements MessageView {
  readonly indices: number[] = [];
  private scanned = 0;
  private version = -1;

  constructor(
    private readonly model: MessageModel,
    private readonly match: Matcher,
  ) {}

  get count() {
    return this.indices.length;
  }
  at(i: number) {
    return this.indices[i]!;
  }
  positionOf(index: number) {
    let lo = 0;
    let hi = this.indices.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.indices[mid]!;
      if (v === index) return mid;
      if (v < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * A view for a narrower filter, tested against this one's matches only: typing one more letter
   * re-tests what matched, not every message. Call when `canNarrow(this filter, next filter)`.
   */
  narrowed(match: Matcher): FilteredMessages {
    this.sync();
    const next = new FilteredMessages(this.model, match);
    const messages = this.model.messages;
    for (const i of this.indices) if (match(messages[i]!)) next.indices.push(i);
    next.scanned = this.scanned;
    next.version = this.version;
    return next;
  }

  sync(): void {
    const { model } = this;
    if (this.version === model.version) return;
    const low = this.version < 0 ? 0 : model.lowestTouchedSince(this.version);
    const from = low === undefined ? 0 : Math.min(low, this.scanned);
    while (this.indices.length > 0 && this.indices[this.indices.length - 1]! >= from) this.indices.pop();
    const messages = model.messages;
    for (let i = from; i < messages.length; i++) if (this.match(messages[i]!)) this.indices.push(i);
    this.scanned = messages.length;
    this.version = model.version;
  }
}
