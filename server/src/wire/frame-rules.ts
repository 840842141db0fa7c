// The RFC 6455 rules a frame decoder checks beyond the header layout: opcodes (§5.2),
// control frames (§5.5), fragmentation (§5.4), close bodies (§5.5.1) and UTF-8 (§8.1).
// FrameDecoder reads the bytes; this keeps the state that spans frames.
import { type ClosePayload, parseClosePayload } from './close-payload.ts';
import { isValidUtf8, Utf8Validator } from './utf8.ts';

export type ReportProblem = (code: string, message: string, closeCode?: number) => void;

export class FrameRules {
  private messageOpcode = 0; // 0: no fragmented message is open
  private frameInMessage = false; // the current frame is part of a message being followed
  private frameStartsMessage = false;
  private fin = false;
  private opcode = 0;
  private validateText = false; // the open text message is uncompressed and fully captured so far
  private readonly utf8 = new Utf8Validator();

  constructor(private readonly report: ReportProblem) {}

  /** A frame's header is complete up to its length. */
  header(fin: boolean, rsv1: boolean, opcode: number, length: number): void {
    this.fin = fin;
    this.opcode = opcode;
    this.frameInMessage = false;
    if (opcode >= 0x8) {
      if (opcode > 0xa) return this.reservedOpcode();
      const name = `control frame (opcode 0x${opcode.toString(16)})`;
      if (!fin) {
        this.report('FRAGMENTED_CONTROL_FRAME', `${name} has FIN clear: control frames must not be fragmented (RFC 6455 §5.5)`, 1002);
      }
      if (length > 125) {
        this.report('CONTROL_FRAME_TOO_LONG', `${name} carries ${length} bytes: at most 125 are allowed (RFC 6455 §5.5)`, 1002);
      }
      return;
    }
    if (opcode >= 0x3) return this.reservedOpcode();
    if (opcode === 0x0) {
      if (this.messageOpcode === 0) {
        this.report('UNEXPECTED_CONTINUATION', 'continuation frame arrived but no fragmented message was open (RFC 6455 §5.4)', 1002);
        return;
      }
      this.frameStartsMessage = false;
    } else {
      if (this.messageOpcode !== 0) {
        this.report(
          'EXPECTED_CONTINUATION',
          `a new ${opcode === 1 ? 'text' : 'binary'} frame arrived while a fragmented message was still open: the next data frame must be a continuation (RFC 6455 §5.4)`,
          1002,
        );
      }
      this.messageOpcode = opcode;
      this.frameStartsMessage = true;
      // A compressed message is UTF-8 only once inflated: not checked here.
      this.validateText = opcode === 0x1 && !rsv1;
      this.utf8.reset();
    }
    this.frameInMessage = true;
    if (fin) this.messageOpcode = 0;
  }

  /** The frame's payload is complete, or as complete as it will get. Returns the parsed close body for a close frame. */
  payload(payload: Buffer, length: number, truncated: boolean): ClosePayload | undefined {
    if (this.opcode === 0x8) {
      const { close, problems } = parseClosePayload(payload, length);
      for (const problem of problems) this.report(problem.code, problem.message, problem.closeCode);
      return close;
    }
    if (this.frameInMessage && this.validateText) this.checkText(payload, truncated);
    return undefined;
  }

  /** UTF-8 of a text message (RFC 6455 §8.1), checked only while every byte of it has been captured. */
  private checkText(payload: Buffer, truncated: boolean): void {
    if (truncated) {
      this.validateText = false;
      return;
    }
    const valid =
      this.frameStartsMessage && this.fin
        ? isValidUtf8(payload)
        : this.utf8.push(payload) && (!this.fin || this.utf8.end());
    if (valid) return;
    this.validateText = false;
    this.report('INVALID_UTF8', 'text message is not valid UTF-8 (RFC 6455 §8.1)', 1007);
  }

  private reservedOpcode(): void {
    this.report(
      'RESERVED_OPCODE',
      `opcode 0x${this.opcode.toString(16)} is reserved (RFC 6455 §5.2); the frame is shown as received`,
      1002,
    );
  }
}
