import type { TranscriptStore } from '../transcript/store.ts';
import type { NewEvent, Party } from '../transcript/types.ts';
import { HeadReader, headerValue, parseResponseHead, type RequestHead } from '../wire/http-head.ts';
import { FrameDecoder, type DecodedFrame } from '../wire/frame-decoder.ts';
import { MessageInflater, negotiatedDeflate } from '../wire/deflate.ts';
import { ResponseBody } from './response-body.ts';

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
}

type Direction = 'client-to-server' | 'server-to-client';

/**
 * One TCP connection between two parties, watched passively in both directions: the request
 * head, the response head (and a refusal's body), then every frame each way. It never
 * alters bytes and never throws into a socket handler; what it cannot decode becomes an
 * `error` event.
 */
export class Leg {
  private readonly maxCapture: number;
  private responseHead: HeadReader | undefined = new HeadReader();
  private body: ResponseBody | undefined;
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
  }

  get upgraded(): boolean {
    return this.decoders['server-to-client'] !== undefined;
  }

  private emit(event: NewEvent): void {
    this.options.store.append(this.options.session, this.options.conn, event);
  }

  private seen(direction: Direction) {
    const { observer, client, server } = this.options;
    return direction === 'client-to-server' ? { observer, from: client, to: server } : { observer, from: server, to: client };
  }

  request(head: RequestHead): void {
    this.emit({ kind: 'request', ...this.seen('client-to-server'), ...head });
  }

  error(code: string, message: string, direction: Direction = 'client-to-server'): void {
    this.emit({ kind: 'error', ...this.seen(direction), code, message });
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
    this.body = new ResponseBody(head, this.maxCapture, (body) => {
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
        captureFor: (opcode, length) =>
          opcode >= 0x8 || this.options.store.payloadBudget(this.options.session, Math.min(length, this.maxCapture)) ? this.maxCapture : 0,
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
    const event: NewEvent = {
      kind: 'frame',
      ...this.seen(direction),
      fin: frame.fin,
      rsv1: frame.rsv1,
      rsv2: frame.rsv2,
      rsv3: frame.rsv3,
      opcode: frame.opcode,
      masked: frame.masked,
      length: frame.length,
      payload: frame.payload.toString('base64'),
      truncated: frame.truncated,
    };
    if (frame.maskKey) event.maskKey = frame.maskKey.toString('hex');
    if (frame.close) event.close = frame.close;
    if (inflated?.ok) {
      event.inflated = inflated.data.toString('base64');
      event.inflatedLength = inflated.length;
    }
    this.emit(event);
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
