import { isUtf8 } from 'node:buffer';

const EMPTY = Buffer.alloc(0);

/** Is this whole byte sequence valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF)? */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/**
 * Validates one text message whose bytes arrive in pieces (the fragments of a message).
 *
 * Node's native `isUtf8` checks a whole buffer; a character may straddle two fragments, so
 * the last incomplete sequence of each piece (at most 3 bytes) is held back and completed
 * with the start of the next. No string is built and no fragment is copied.
 */
export class Utf8Validator {
  private carry: Buffer = EMPTY;
  private failed = false;

  /** Adds the next piece; false once the bytes seen so far cannot be valid UTF-8. */
  push(bytes: Uint8Array): boolean {
    if (this.failed) return false;
    let start = 0;
    if (this.carry.length > 0) {
      const missing = sequenceLength(this.carry[0] ?? 0) - this.carry.length;
      const take = Math.min(missing, bytes.length);
      const sequence = Buffer.concat([this.carry, bytes.subarray(0, take)]);
      if (take < missing) {
        this.carry = sequence;
        return true;
      }
      if (!isUtf8(sequence)) return this.fail();
      this.carry = EMPTY;
      start = take;
    }
    const rest = bytes.subarray(start);
    const cut = incompleteTail(rest);
    if (!isUtf8(rest.subarray(0, cut))) return this.fail();
    if (cut < rest.length) this.carry = Buffer.from(rest.subarray(cut));
    return true;
  }

  /** The message is over: true when everything pushed was valid and no character was left unfinished. Resets. */
  end(): boolean {
    const ok = !this.failed && this.carry.length === 0;
    this.reset();
    return ok;
  }

  reset(): void {
    this.carry = EMPTY;
    this.failed = false;
  }

  private fail(): false {
    this.failed = true;
    this.carry = EMPTY;
    return false;
  }
}

/** How many bytes the sequence led by `lead` should have (1 for anything that is not a multi-byte lead). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

/** Where a multi-byte sequence that the end of `bytes` cuts short begins; `bytes.length` when none does. */
function incompleteTail(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let i = length - 1; i >= 0 && i >= length - 3; i--) {
    const byte = bytes[i] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    return length - i < sequenceLength(byte) ? i : length;
  }
  return length;
}
