import type { FrameEvent, LabEvent, Party } from '../../../../server/src/transcript/types.ts';
import { PARTY_ORDER } from '../../components/format.ts';
import { isControl, searchableText, type Searchable } from './message-payload.ts';

/** `out`: toward the server (what the client sent); `in`: toward the client (what it received). */
export type Direction = 'out' | 'in';

/** One hop's observation of a message: the frames one observer saw travel one way on one leg. */
export interface Leg {
  key: string;
  observer: Party;
  from: Party;
  to: Party;
  frames: FrameEvent[];
  /** Its last frame ended the message (FIN on a data frame; any control frame). */
  done: boolean;
}

/**
 * One message as it travelled: the same text or binary message (or control frame) as every hop
 * on its way observed it. Hops relay in order, so the k-th message one way on each leg is the
 * same message: that is the whole grouping rule.
 */
export interface Message {
  /** Its place in the list, from 0; the list shows #index+1. */
  index: number;
  direction: Direction;
  /** The k-th message this way, from 0. */
  ordinal: number;
  /** Of its first frame: text, binary, close, ping, pong (continuation only for a stray fragment). */
  opcode: number;
  /** In the order they were first observed; legs[0] is what the list shows and searches. */
  legs: Leg[];
  /** Model version of its last change, so a row knows to draw it again. */
  version: number;
  /** Payload bytes legs[0]'s frame headers declared (compressed, when compressed). */
  length: number;
  /**
   * What a search matches and the row previews, decoded from legs[0] when first needed (or in
   * idle time): a live flush only groups frames. Read it through `messageText`.
   */
  searchable: Searchable | undefined;
  /** A later leg carried other bytes than legs[0]: something between the hops changed it. */
  differs: boolean;
}

interface Stream {
  count: number;
  /** A data message whose last frame this stream has not seen yet. */
  open: Message | undefined;
  /** The hop filter's key for this stream's legs, worked out once. */
  option: string;
}

export interface MessageCounts {
  direction: Record<Direction, number>;
  opcode: Map<number, number>;
  /** Messages with at least one leg seen by this observer. */
  observer: Map<Party, number>;
  /** `leg:<observer>:<a>|<b>`: messages seen by that observer on the leg between a and b. */
  leg: Map<string, number>;
}

const rank = (p: Party) => PARTY_ORDER.indexOf(p);

/** The message's text for search and preview, decoded now if it was not yet. */
export function messageText(message: Message): Searchable {
  return (message.searchable ??= searchableText(message.opcode, message.legs[0]!.frames));
}

export function directionOf(e: Pick<FrameEvent, 'from' | 'to'>): Direction {
  return rank(e.from) <= rank(e.to) ? 'out' : 'in';
}

/** The hop filter's key for a leg: its observer and the two parties, either way. */
export function legOptionKey(leg: Pick<Leg, 'observer' | 'from' | 'to'>): string {
  return `leg:${leg.observer}:${[leg.from, leg.to].sort().join('|')}`;
}

/** Events in one sync beyond which it is a snapshot being read, not a live flush. */
const BULK = 5_000;

/** How many versions back a filtered view may catch up incrementally; older views start again. */
const HISTORY = 512;

/**
 * A connection's frames as messages, kept up to date incrementally: each sync reads only the
 * events appended since the last one, so a live flush costs what arrived, not what is held.
 * Counts for the filters are kept the same way.
 */
export class MessageModel {
  readonly messages: Message[] = [];
  /** Every frame of the connection, in the order the hops observed them (seq order). */
  readonly frames: FrameEvent[] = [];
  readonly counts: MessageCounts = { direction: { out: 0, in: 0 }, opcode: new Map(), observer: new Map(), leg: new Map() };
  /** Every party a frame came from, went to or was seen by. */
  readonly parties = new Set<Party>();
  /** Grows by one with every sync that changed something. */
  version = 0;
  private frameMessage = new Int32Array(1024);
  private readonly byDirection: Record<Direction, Message[]> = { out: [], in: [] };
  private readonly streams = new Map<string, Stream>();
  /** Per version, the lowest message index that sync touched. */
  private readonly lowWater = new Map<number, number>();
  /** Messages whose text is not decoded yet, oldest first (some may have been decoded since). */
  private undecoded: Message[] = [];
  private source: readonly LabEvent[] | undefined;
  private processed = 0;
  private touched = Infinity;

  /** Reads what was appended to `events` since the last sync; starts over if it is another list. */
  sync(events: readonly LabEvent[]): boolean {
    if (events !== this.source) {
      const continues = this.processed === 0 || (events.length >= this.processed && events[this.processed - 1] === this.source?.[this.processed - 1]);
      if (!continues) return this.restart(events);
      this.source = events;
    }
    if (events.length === this.processed) return false;
    this.touched = Infinity;
    const bulk = events.length - this.processed > BULK;
    for (let i = this.processed; i < events.length; i++) {
      const e = events[i]!;
      if (e.kind === 'frame') this.ingest(e);
    }
    this.processed = events.length;
    // A snapshot, not a live flush: decode it all now, so the first search does not wait on it.
    if (bulk) this.decodeUntil(Infinity);
    if (this.touched === Infinity) return false;
    this.version += 1;
    this.lowWater.set(this.version, this.touched);
    this.lowWater.delete(this.version - HISTORY);
    return true;
  }

  /**
   * The lowest message index changed since `version` (Infinity when none), or undefined when
   * that version is too old to say: the caller starts again.
   */
  lowestTouchedSince(version: number): number | undefined {
    if (version === this.version) return Infinity;
    if (version < this.version - HISTORY + 1 || version > this.version) return undefined;
    let low = Infinity;
    for (let v = version + 1; v <= this.version; v++) low = Math.min(low, this.lowWater.get(v) ?? 0);
    return low;
  }

  /** Decodes waiting messages' text, 64 at a time, until `deadline` (performance.now()) passes; true when none is left. */
  decodeUntil(deadline: number): boolean {
    let i = 0;
    do {
      const end = Math.min(this.undecoded.length, i + 64);
      while (i < end) messageText(this.undecoded[i++]!);
    } while (i < this.undecoded.length && performance.now() < deadline);
    this.undecoded = i === 0 ? this.undecoded : this.undecoded.slice(i);
    return this.undecoded.length === 0;
  }

  /** 1-based: the n-th frame of the connection, whichever hop observed it. */
  frameNumber(seq: number): number | undefined {
    const i = this.frameIndex(seq);
    return i === undefined ? undefined : i + 1;
  }

  /** The message a frame belongs to, and where in it. */
  locate(seq: number): { message: Message; leg: Leg; position: number; frame: FrameEvent } | undefined {
    const i = this.frameIndex(seq);
    if (i === undefined) return undefined;
    const message = this.messages[this.frameMessage[i]!]!;
    for (const leg of message.legs) {
      const position = leg.frames.findIndex((f) => f.seq === seq);
      if (position >= 0) return { message, leg, position, frame: leg.frames[position]! };
    }
    return undefined;
  }

  private frameIndex(seq: number): number | undefined {
    let lo = 0;
    let hi = this.frames.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.frames[mid]!.seq;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  private restart(events: readonly LabEvent[]): boolean {
    this.messages.length = 0;
    this.frames.length = 0;
    this.byDirection.out.length = 0;
    this.byDirection.in.length = 0;
    this.streams.clear();
    this.lowWater.clear();
    this.undecoded = [];
    this.counts.direction = { out: 0, in: 0 };
    this.counts.opcode.clear();
    this.counts.observer.clear();
    this.counts.leg.clear();
    this.parties.clear();
    this.source = events;
    this.processed = 0;
    // A jump past any history a view holds: every view starts again.
    this.version += HISTORY;
    this.sync(events);
    return true;
  }

  private ingest(frame: FrameEvent): void {
    const direction = directionOf(frame);
    this.parties.add(frame.from).add(frame.to).add(frame.observer);
    const key = `${frame.observer}:${frame.from}>${frame.to}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { count: 0, open: undefined, option: legOptionKey(frame) };
      this.streams.set(key, stream);
    }
    let message: Message;
    if (isControl(frame.opcode)) {
      // Control frames are messages of their own, even between the fragments of a data message (RFC 6455 §5.4).
      message = this.messageAt(direction, stream.count++, frame.opcode);
    } else if (frame.opcode === 0x0 && stream.open) {
      message = stream.open;
    } else {
      message = this.messageAt(direction, stream.count++, frame.opcode);
      stream.open = message;
    }
    const done = isControl(frame.opcode) || frame.fin;
    if (!isControl(frame.opcode) && frame.fin) stream.open = undefined;
    this.addFrame(message, key, stream.option, frame, done);
  }

  private messageAt(direction: Direction, ordinal: number, opcode: number): Message {
    const way = this.byDirection[direction];
    // Read inside the array only: a read past its end takes V8's slow path, once per new message.
    if (ordinal < way.length) return way[ordinal]!;
    const message: Message = {
      index: this.messages.length,
      direction,
      ordinal,
      opcode,
      legs: [],
      version: 0,
      length: 0,
      searchable: undefined,
      differs: false,
    };
    this.messages.push(message);
    way[ordinal] = message;
    this.counts.direction[direction] += 1;
    this.counts.opcode.set(opcode, (this.counts.opcode.get(opcode) ?? 0) + 1);
    return message;
  }

  private addFrame(message: Message, key: string, option: string, frame: FrameEvent, done: boolean): void {
    let leg: Leg | undefined;
    for (const l of message.legs) if (l.key === key) leg = l;
    if (!leg) {
      if (!message.legs.some((l) => l.observer === frame.observer)) {
        this.counts.observer.set(frame.observer, (this.counts.observer.get(frame.observer) ?? 0) + 1);
      }
      leg = { key, observer: frame.observer, from: frame.from, to: frame.to, frames: [], done: false };
      message.legs.push(leg);
      this.counts.leg.set(option, (this.counts.leg.get(option) ?? 0) + 1);
    }
    leg.frames.push(frame);
    leg.done = done;
    if (this.frames.length === this.frameMessage.length) {
      const grown = new Int32Array(this.frameMessage.length * 2);
      grown.set(this.frameMessage);
      this.frameMessage = grown;
    }
    this.frameMessage[this.frames.length] = message.index;
    this.frames.push(frame);

    const first = message.legs[0]!;
    if (leg === first) {
      message.length += frame.length;
      if (message.searchable !== undefined || first.frames.length === 1) this.undecoded.push(message);
      message.searchable = undefined;
    } else {
      const same = first.frames[leg.frames.length - 1];
      if (!same || same.payload !== frame.payload || same.opcode !== frame.opcode) message.differs = true;
    }
    message.version = this.version + 1;
    this.touched = Math.min(this.touched, message.index);
  }
}
