import type { TranscriptStore } from '../transcript/store.ts';
import type { NewEvent, Party, ReceivedBytes } from '../transcript/types.ts';
import { HeadReader, headerValue, parseResponseHead, type RequestHead } from '../wire/http-head.ts';
import { FrameDecoder, type DecodedFrame } from '../wire/frame-decoder.ts';
import { MessageInflater, negotiatedDeflate } from '../wire/deflate.ts';
import { MessageBody } from '../wire/message-body.ts';
import { CapturedFrame } from '../transcript/captured-frame.ts';

import { DEFAULT_MAX_CAPTURE } from '../wire/frame-decoder.ts';

export { DEFAULT_MAX_CAPTURE };

export interface LegOptions {
  store: TranscriptStore;
  session: string;
  conn: string;
  /** Who watches this leg: the hop that owns one of its sockets. */
  observer: Party;
  /** The party that sent the upgrade request on this leg. */
  client: Party;
  /** The party that answered it. */
  server: Party;
  maxCapture?: number;
  /**
   * The largest message the hop relays (`--max-payload`). The leg only reports a message over
   * it (an error event, and `overLimit`); the hop decides what to do (close with 1009).
   */
  maxPayload?: number;
}

export type Direction = 'client-to-server' | 'server-to-client';

/** A message over the max payload: where its offending frame starts in the direction's stream. */
export interface OverLimit {
  frameStart: number;
  length: number;
}

/** How much of a refusal's received bytes an error event keeps. */
export const MAX_RECEIVED_CAPTURE = 4096;

export function receivedBytes(bytes: Buffer, cap = MAX_RECEIVED_CAPTURE): ReceivedBytes {
  return { length: bytes.length, bytes: bytes.subarray(0, cap).toString('base64'), truncated: bytes.length > cap };
}

/**
 * One TCP connection between two parties, watched passively in both directions: the request
 * head, the response head (and a refusal's body), then every frame each way. It never
 * alters bytes and never throws into a socket handler; what it cannot decode becomes an
 * `error` event.
 */
export class Leg {
  private readonly maxCapture: number;
  private responseHead: HeadReader | undefined = new HeadReader();
  private body: MessageBody | undefined;
  private messageLength: Record<Direction, number> = { 'client-to-server': 0, 'server-to-client': 0 };
  private tooBig: Partial<Record<Direction, OverLimit>> = {};
  private decoders: Partial<Record<Direction, FrameDecoder>> = {};
  private inflaters: Partial<Record<Direction, MessageInflater>> = {};
  /** Client bytes that arrived before the server's answer: frames can only be told apart after a 101. */
  private early: Buffer[] = [];
  private earlySize = 0;
  private earlyOverflow = false;
  private closeFrames = { 'client-to-server': false, 'server-to-client': false };
  private firstClose: { code?: number; reason: string; direction: Direction } | undefined;
  private ended = false;

  constructor(private readonly options: LegOptions) {
    this.maxCapture = options.maxCapture ?? DEFAULT_MAX_CAPTURE;
    const { observer, client, server } = options;
    this.seenBy = {
      'client-to-server': { observer, from: client, to: server },
      'server-to-client': { observer, from: server, to: client },
    };
  }

  get upgraded(): boolean {
    return this.decoders['server-to-client'] !== undefined;
  }

  private emit(event: NewEvent): void {
    this.options.store.append(this.options.session, this.options.conn, event);
  }

  /** Who sees each direction, built once: every frame event reads it (never modified). */
  private readonly seenBy: Record<Direction, { observer: Party; from: Party; to: Party }>;

  private seen(direction: Direction) {
    return this.seenBy[direction];
  }

  /** Frames follow without a 101 (a WebSocket over HTTP/2 after its :status 200, RFC 8441). */
  framesFollow(extensions: string | undefined): void {
    this.responseHead = undefined;
    this.startFrames(extensions);
  }

  request(head: RequestHead): void {
    this.emit({ kind: 'request', ...this.seen('client-to-server'), ...head });
  }

  error(code: string, message: string, direction: Direction = 'client-to-server', received?: Buffer): void {
    this.emit({ kind: 'error', ...this.seen(direction), code, message, ...(received ? { received: receivedBytes(received) } : {}) });
  }

  /** The first message in `direction` over the max payload, once one was seen. */
  overLimit(direction: Direction): OverLimit | undefined {
    return this.tooBig[direction];
  }

  /** Whether the bytes seen in `direction` end on a frame boundary (false before the 101). */
  atFrameBoundary(direction: Direction): boolean {
    return this.decoders[direction]?.atFrameBoundary ?? false;
  }

  /** Bytes of `direction` decoded as frames so far. */
  frameBytes(direction: Direction): number {
    return this.decoders[direction]?.bytesConsumed ?? 0;
  }

  fromClient(chunk: Buffer): void {
    const decoder = this.decoders['client-to-server'];
    if (decoder) return decoder.push(chunk);
    if (this.earlySize < this.maxCapture) {
      this.early.push(chunk);
      this.earlySize += chunk.length;
    } else if (!this.earlyOverflow) {
      this.earlyOverflow = true;
      this.error('EARLY_DATA_DROPPED', `the client sent over ${this.maxCapture} bytes before the server answered; the lab kept only those, so frames decoded after the 101 may start mid-stream`);
    }
  }

  fromServer(chunk: Buffer): void {
    const decoder = this.decoders['server-to-client'];
    if (decoder) return decoder.push(chunk);
    if (this.body) return this.body.push(chunk);
    if (!this.responseHead) return;
    let found;
    try {
      found = this.responseHead.push(chunk);
    } catch (err) {
      this.responseHead = undefined;
      this.error('BAD_RESPONSE', (err as Error).message, 'server-to-client');
      return;
    }
    if (!found) return;
    this.responseHead = undefined;
    let head;
    try {
      head = parseResponseHead(found.head);
    } catch (err) {
      this.error('BAD_RESPONSE', (err as Error).message, 'server-to-client');
      return;
    }
    if (head.status === 101) {
      this.emit({ kind: 'response', ...this.seen('server-to-client'), ...head });
      this.startFrames(headerValue(head.headers, 'sec-websocket-extensions'));
      if (found.rest.length > 0) this.fromServer(found.rest);
      return;
    }
    this.body = new MessageBody(head, this.maxCapture, (content) => {
      const body = content.length === 0 ? undefined : content.toString('utf8');
      this.emit({ kind: 'response', ...this.seen('server-to-client'), ...head, ...(body === undefined ? {} : { body }) });
    });
    this.body.push(found.rest);
  }

  private startFrames(extensions: string | undefined): void {
    const deflate = negotiatedDeflate(extensions);
    for (const direction of ['client-to-server', 'server-to-client'] as const) {
      // Every compressed byte goes through the inflater, not only the capped copy: with context
      // takeover a message may refer back to any earlier one, however large.
      const inflater = deflate && new MessageInflater(deflate, direction, { maxCopy: this.maxCapture });
      if (inflater) this.inflaters[direction] = inflater;
      this.decoders[direction] = new FrameDecoder({
        maxCapture: this.maxCapture,
        // Past the session's payload limit, keep frames' headers but skip copying payloads that would be dropped.
        captureFor: (opcode, length) => {
          this.measure(direction, opcode, length);
          return opcode >= 0x8 || this.options.store.payloadBudget(this.options.session, Math.min(length, this.maxCapture)) ? this.maxCapture : 0;
        },
        ...(inflater ? { streamPayload: (opcode: number, rsv1: boolean) => inflater.begin(opcode, rsv1), onPayload: (chunk: Uint8Array) => inflater.write(chunk) } : {}),
        onFrame: (frame) => this.frame(direction, frame),
        onError: (error) =>
          this.error(error.code, error.closeCode ? `${error.message} (close code ${error.closeCode})` : error.message, direction),
      });
    }
    const early = this.early;
    this.early = [];
    for (const chunk of early) this.fromClient(chunk);
  }

  /** Adds a frame's length to its message's; reports the first message over the max payload. */
  private measure(direction: Direction, opcode: number, length: number): void {
    const max = this.options.maxPayload;
    if (max === undefined || opcode >= 0x8) return;
    const total = opcode === 0x0 ? this.messageLength[direction] + length : length;
    this.messageLength[direction] = total;
    if (total <= max || this.tooBig[direction]) return;
    this.tooBig[direction] = { frameStart: this.decoders[direction]?.frameStart ?? 0, length: total };
    this.error(
      'MESSAGE_TOO_BIG',
      `a message of ${total} bytes is over the ${max}-byte max payload (--max-payload); the ${this.options.observer.replace('-', ' ')} closes with 1009 (message too big)`,
      direction,
    );
  }

  private frame(direction: Direction, frame: DecodedFrame): void {
    if (frame.opcode === 0x8) {
      this.closeFrames[direction] = true;
      this.firstClose ??= { ...(frame.close ?? { reason: '' }), direction };
    }
    // Inflate even when the frame will not be kept: with context takeover, later messages need it.
    const inflater = this.inflaters[direction];
    const inflated = inflater && frame.opcode < 0x8 ? inflater.frame(frame) : undefined;
    if (inflated && !inflated.ok) this.error(inflated.code, inflated.message, direction);
    // Handshakes and closes always go in; frames only while the session has room.
    if (frame.opcode !== 0x8 && !this.options.store.admitFrame(this.options.session, frame.payload.length + (inflated?.ok ? inflated.data.length : 0))) return;
    // The bytes are kept as captured and encoded only when read (CapturedFrame).
    const event = new CapturedFrame(this.seen(direction), frame, inflated?.ok ? inflated : undefined);
    this.emit(event as unknown as NewEvent);
  }

  /**
   * The TCP connection is gone. Flushes what was half-received (a frame cut mid-way is
   * recorded truncated) and records how the leg closed: clean only if close frames crossed
   * both ways, as RFC 6455 §7.1.5 and the browser's `wasClean` define it.
   */
  end(detail?: string): void {
    if (this.ended) return;
    this.ended = true;
    this.body?.end();
    for (const decoder of Object.values(this.decoders)) decoder.end();
    for (const inflater of Object.values(this.inflaters)) inflater.close();
    if (!this.upgraded) return;
    const wasClean = this.closeFrames['client-to-server'] && this.closeFrames['server-to-client'];
    const code = wasClean ? (this.firstClose?.code ?? 1005) : 1006;
    const reason = wasClean ? (this.firstClose?.reason ?? '') : (detail ?? 'the TCP connection closed without a close handshake');
    this.emit({ kind: 'close', ...this.seen(this.firstClose?.direction ?? 'client-to-server'), code, reason, wasClean });
  }
}
