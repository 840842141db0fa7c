// A passive, incremental RFC 6455 §5.2 frame decoder, modelled on ws's lib/receiver.js: a
// state machine with named states that returns when the bytes run out and resumes on the
// next push. It only watches: input buffers are never altered, nothing throws, and every
// protocol violation is reported through onError while decoding carries on where it can.
import { copyPayload } from './frame-mask.ts';
import { FrameRules } from './frame-rules.ts';
import type { DecodedFrame, DecodeError, FrameDecoderOptions } from './frame-types.ts';

export type { DecodedFrame, DecodeError, FrameDecoderOptions } from './frame-types.ts';

export const DEFAULT_MAX_CAPTURE = 64 * 1024;

// Parser states, named as in ws's receiver.
const GET_INFO = 0;
const GET_PAYLOAD_LENGTH_16 = 1;
const GET_PAYLOAD_LENGTH_64 = 2;
const GET_MASK = 3;
const GET_DATA = 4;
/** After a fatal error or end(): further input is ignored. */
const STOPPED = 5;

const EMPTY = Buffer.alloc(0);

/**
 * Decodes one direction of a WebSocket connection. Every error about a frame is reported
 * before that frame is emitted; a frame is emitted once its whole payload has arrived (or
 * at end(), truncated). Only the first `maxCapture` payload bytes of a frame are kept, so a
 * 10 MB frame costs `maxCapture` bytes of memory.
 */
export class FrameDecoder {
  /** Input bytes read so far (bytes ignored after a fatal error are not counted). */
  bytesConsumed = 0;
  /** Frames emitted so far. */
  framesDecoded = 0;

  private readonly maxCapture: number;
  private state = GET_INFO;

  // The chunk being read and the read position in it.
  private chunk: Buffer = EMPTY;
  private pos = 0;
  // Header fields split across chunks are gathered here; `src[srcOff]` is where gather() found them.
  private readonly scratch = Buffer.alloc(8);
  private scratchFill = 0;
  private src: Buffer = EMPTY;
  private srcOff = 0;

  // The frame being decoded.
  private frameOffset = 0;
  private headerRead = 0;
  private headerLength = 2;
  private fin = false;
  private rsv1 = false;
  private rsv2 = false;
  private rsv3 = false;
  private opcode = 0;
  private masked = false;
  private maskKey: Buffer | undefined;
  private length = 0;
  private remaining = 0;
  private capture: Buffer = EMPTY;
  private captured = 0;
  /** The frame's payload also goes to onPayload, whole. */
  private streaming = false;
  /** Where masked payload is unmasked on its way to onPayload, past what the capture holds. */
  private scratch16k: Buffer | undefined;

  // What spans frames: fragmented messages, their UTF-8.
  private readonly rules = new FrameRules((code, message, closeCode) => this.error(code, message, closeCode));

  constructor(readonly options: FrameDecoderOptions) {
    this.maxCapture = Math.max(0, options.maxCapture ?? DEFAULT_MAX_CAPTURE);
  }

  /** Whether every byte pushed so far ended a whole frame: a frame may be inserted here. */
  get atFrameBoundary(): boolean {
    return this.state === GET_INFO && this.scratchFill === 0;
  }

  /** Offset in the decoded stream of the first header byte of the frame being decoded (or last decoded). */
  get frameStart(): number {
    return this.frameOffset;
  }

  push(chunk: Buffer): void {
    if (this.state === STOPPED || chunk.length === 0) return;
    this.chunk = chunk;
    this.pos = 0;
    let more = true;
    while (more && this.pos < chunk.length) {
      switch (this.state) {
        case GET_INFO:
          more = this.getInfo();
          break;
        case GET_PAYLOAD_LENGTH_16:
          more = this.getPayloadLength16();
          break;
        case GET_PAYLOAD_LENGTH_64:
          more = this.getPayloadLength64();
          break;
        case GET_MASK:
          more = this.getMask();
          break;
        case GET_DATA:
          this.getData();
          break;
        default:
          more = false;
      }
    }
    this.bytesConsumed += this.pos;
    this.chunk = EMPTY;
  }

  /** The stream is over. A frame cut short is emitted truncated; a header cut short is only reported. */
  end(): void {
    const state = this.state;
    this.state = STOPPED;
    if (state === GET_DATA) {
      const arrived = this.length - this.remaining;
      this.error('INCOMPLETE_FRAME', `stream ended mid-frame: ${arrived} of ${this.length} payload bytes arrived`);
      this.finishFrame();
    } else if (state !== STOPPED && (state !== GET_INFO || this.scratchFill > 0)) {
      const arrived = this.headerRead + this.scratchFill;
      const expected = state === GET_INFO ? 'at least 2' : String(this.headerLength);
      this.error('INCOMPLETE_FRAME', `stream ended inside a frame header: ${arrived} of ${expected} header bytes arrived`);
    }
    this.state = STOPPED;
  }

  /** Makes `n` header bytes available at `src[srcOff]`, gathering them across chunks; false when the chunk ran out. */
  private gather(n: number): boolean {
    const chunk = this.chunk;
    const available = chunk.length - this.pos;
    if (this.scratchFill === 0 && available >= n) {
      this.src = chunk;
      this.srcOff = this.pos;
      this.pos += n;
      return true;
    }
    const take = Math.min(n - this.scratchFill, available);
    chunk.copy(this.scratch, this.scratchFill, this.pos, this.pos + take);
    this.scratchFill += take;
    this.pos += take;
    if (this.scratchFill < n) return false;
    this.src = this.scratch;
    this.srcOff = 0;
    this.scratchFill = 0;
    return true;
  }

  private getInfo(): boolean {
    if (this.scratchFill === 0) this.frameOffset = this.bytesConsumed + this.pos;
    if (!this.gather(2)) return false;
    const b0 = this.src[this.srcOff] ?? 0;
    const b1 = this.src[this.srcOff + 1] ?? 0;
    this.fin = (b0 & 0x80) !== 0;
    this.rsv1 = (b0 & 0x40) !== 0;
    this.rsv2 = (b0 & 0x20) !== 0;
    this.rsv3 = (b0 & 0x10) !== 0;
    this.opcode = b0 & 0x0f;
    this.masked = (b1 & 0x80) !== 0;
    const length7 = b1 & 0x7f;
    this.headerRead = 2;
    this.headerLength = 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + (this.masked ? 4 : 0);
    if (length7 === 126) {
      this.state = GET_PAYLOAD_LENGTH_16;
      return true;
    }
    if (length7 === 127) {
      this.state = GET_PAYLOAD_LENGTH_64;
      return true;
    }
    this.length = length7;
    return this.haveLength();
  }

  private getPayloadLength16(): boolean {
    if (!this.gather(2)) return false;
    this.length = this.src.readUInt16BE(this.srcOff);
    this.headerRead += 2;
    return this.haveLength();
  }

  private getPayloadLength64(): boolean {
    if (!this.gather(8)) return false;
    const high = this.src.readUInt32BE(this.srcOff);
    const low = this.src.readUInt32BE(this.srcOff + 4);
    this.headerRead += 8;
    if (high >= 0x80000000) {
      return this.fatal(
        'LENGTH_TOO_LARGE',
        'the 64-bit payload length has its most significant bit set, which RFC 6455 §5.2 forbids; decoding stopped',
      );
    }
    if (high > 0x1fffff) {
      return this.fatal(
        'LENGTH_TOO_LARGE',
        `the payload length ${high * 2 ** 32 + low} is beyond 2^53 - 1 bytes and cannot be followed; decoding stopped`,
      );
    }
    this.length = high * 2 ** 32 + low;
    return this.haveLength();
  }

  /** The length is known: check the header against RFC 6455 §5, then read the mask key or the payload. */
  private haveLength(): boolean {
    this.rules.header(this.fin, this.rsv1, this.opcode, this.length);
    if (this.masked) {
      this.state = GET_MASK;
      return true;
    }
    this.maskKey = undefined;
    this.startPayload();
    return true;
  }

  private getMask(): boolean {
    if (!this.gather(4)) return false;
    this.headerRead += 4;
    this.startPayload();
    return true;
  }

  private startPayload(): void {
    const cap = this.options.captureFor ? Math.min(this.maxCapture, Math.max(0, this.options.captureFor(this.opcode, this.length))) : this.maxCapture;
    const captureLength = Math.min(this.length, cap);
    // One allocation holds the mask key and the captured payload.
    const block = Buffer.allocUnsafe(captureLength + (this.masked ? 4 : 0));
    if (this.masked) {
      const src = this.src;
      const at = this.srcOff;
      block[0] = src[at] ?? 0;
      block[1] = src[at + 1] ?? 0;
      block[2] = src[at + 2] ?? 0;
      block[3] = src[at + 3] ?? 0;
      this.maskKey = block.subarray(0, 4);
      this.capture = block.subarray(4);
    } else {
      this.capture = block;
    }
    this.captured = 0;
    this.remaining = this.length;
    this.streaming = this.options.streamPayload?.(this.opcode, this.rsv1) === true && this.options.onPayload !== undefined;
    if (this.remaining === 0) this.finishFrame();
    else this.state = GET_DATA;
  }

  /** Copies what fits under the cap and skips the rest; the only per-byte work is unmasking the copy. */
  private getData(): void {
    const available = this.chunk.length - this.pos;
    const n = available < this.remaining ? available : this.remaining;
    const room = this.capture.length - this.captured;
    let take = 0;
    if (room > 0) {
      take = n < room ? n : room;
      copyPayload(this.chunk, this.pos, this.capture, this.captured, take, this.maskKey, this.captured);
    }
    if (this.streaming) this.stream(take, n);
    this.captured += take;
    this.pos += n;
    this.remaining -= n;
    if (this.remaining === 0) this.finishFrame();
  }

  /** Hands this chunk's `n` payload bytes to onPayload: the `copied` first from the capture, the rest unmasked on the way. */
  private stream(copied: number, n: number): void {
    const onPayload = this.options.onPayload!;
    if (copied > 0) onPayload(this.capture.subarray(this.captured, this.captured + copied));
    const rest = n - copied;
    if (rest <= 0) return;
    const start = this.pos + copied;
    const key = this.maskKey;
    if (!key) return onPayload(this.chunk.subarray(start, start + rest));
    const scratch = (this.scratch16k ??= Buffer.allocUnsafe(16 * 1024));
    const offset = this.length - this.remaining + copied; // payload offset of `start`, for the key's phase
    for (let done = 0; done < rest; ) {
      const k = Math.min(rest - done, scratch.length);
      copyPayload(this.chunk, start + done, scratch, 0, k, key, offset + done);
      onPayload(scratch.subarray(0, k));
      done += k;
    }
  }

  private finishFrame(): void {
    const payload = this.captured === this.capture.length ? this.capture : this.capture.subarray(0, this.captured);
    const truncated = this.captured < this.length;
    const frame: DecodedFrame = {
      fin: this.fin,
      rsv1: this.rsv1,
      rsv2: this.rsv2,
      rsv3: this.rsv3,
      opcode: this.opcode,
      masked: this.masked,
      length: this.length,
      payload,
      truncated,
      offset: this.frameOffset,
    };
    if (this.maskKey) frame.maskKey = this.maskKey;
    const close = this.rules.payload(payload, this.length, truncated);
    if (close) frame.close = close;
    if (this.state !== STOPPED) this.state = GET_INFO;
    this.headerRead = 0;
    this.maskKey = undefined;
    this.capture = EMPTY;
    this.framesDecoded++;
    this.options.onFrame(frame);
  }

  private error(code: string, message: string, closeCode?: number): void {
    const error: DecodeError = { code, message, offset: this.frameOffset };
    if (closeCode !== undefined) error.closeCode = closeCode;
    this.options.onError(error);
  }

  private fatal(code: string, message: string): false {
    this.state = STOPPED;
    this.error(code, message, 1009);
    return false;
  }
}
