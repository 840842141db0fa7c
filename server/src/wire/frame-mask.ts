import { createRequire } from 'node:module';

/**
 * bufferutil's native unmask, when installed (an optional dependency `ws` uses too): on a
 * 64 KiB payload it is several times faster than the word loop below. Absent, that loop does.
 */
type NativeUnmask = (buffer: Uint8Array, mask: Uint8Array) => void;
const native: NativeUnmask | undefined = (() => {
  if (process.env.WS_NO_BUFFER_UTIL) return undefined;
  try {
    return (createRequire(import.meta.url)('bufferutil') as { unmask: NativeUnmask }).unmask;
  } catch {
    return undefined;
  }
})();
/** From this many bytes the native unmask pays for its call. */
const NATIVE_THRESHOLD = 1024;
const rotated = new Uint8Array(4);

// One 32-bit word whose bytes are the masking key, in the platform's byte order.
const keyWord = new Uint32Array(1);
const keyWordBytes = new Uint8Array(keyWord.buffer);

/** Below this many bytes a byte loop beats setting up a word view. */
const WORD_THRESHOLD = 128;

/**
 * XORs `buf[start..end)` in place with the masking key (RFC 6455 §5.3). `phase` is the
 * payload offset of `start` modulo 4, so a payload unmasked in pieces lines up with the key.
 * Long runs go 4 bytes at a time through a Uint32Array view once `start` is word-aligned.
 */
export function unmask(buf: Uint8Array, start: number, end: number, key: Uint8Array, phase: number): void {
  let p = phase & 3;
  let i = start;

  if (native && end - start >= NATIVE_THRESHOLD) {
    for (let b = 0; b < 4; b++) rotated[b] = key[(p + b) & 3] ?? 0;
    native(buf.subarray(start, end), rotated);
    return;
  }

  if (end - start >= WORD_THRESHOLD) {
    for (; (buf.byteOffset + i) & 3; i++, p = (p + 1) & 3) buf[i] = (buf[i] ?? 0) ^ (key[p] ?? 0);
    for (let b = 0; b < 4; b++) keyWordBytes[b] = key[(p + b) & 3] ?? 0;
    const words = (end - i) >>> 2;
    const view = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    const word = keyWord[0] ?? 0;
    for (let w = 0; w < words; w++) view[w] = (view[w] ?? 0) ^ word;
    i += words * 4; // a multiple of 4: the phase is unchanged
  }

  // Rotate the key to the current phase, then 4 bytes per turn with no modulo.
  const r0 = key[p] ?? 0;
  const r1 = key[(p + 1) & 3] ?? 0;
  const r2 = key[(p + 2) & 3] ?? 0;
  const r3 = key[(p + 3) & 3] ?? 0;
  const stop = i + ((end - i) & ~3);
  for (; i < stop; i += 4) {
    buf[i] = (buf[i] ?? 0) ^ r0;
    buf[i + 1] = (buf[i + 1] ?? 0) ^ r1;
    buf[i + 2] = (buf[i + 2] ?? 0) ^ r2;
    buf[i + 3] = (buf[i + 3] ?? 0) ^ r3;
  }
  if (i < end) buf[i] = (buf[i] ?? 0) ^ r0;
  if (i + 1 < end) buf[i + 1] = (buf[i + 1] ?? 0) ^ r1;
  if (i + 2 < end) buf[i + 2] = (buf[i + 2] ?? 0) ^ r2;
}

/** Below this many bytes a plain loop beats Buffer#copy, whose fixed cost dominates small frames. */
const COPY_THRESHOLD = 256;

/**
 * Copies `src[srcStart..srcStart+n)` to `dst[dstStart..)`, unmasking on the way when a key is
 * given; `src` is never written. Small runs copy and XOR in one pass.
 */
export function copyPayload(
  src: Buffer,
  srcStart: number,
  dst: Uint8Array,
  dstStart: number,
  n: number,
  key: Uint8Array | undefined,
  phase: number,
): void {
  if (n >= COPY_THRESHOLD) {
    src.copy(dst, dstStart, srcStart, srcStart + n);
    if (key) unmask(dst, dstStart, dstStart + n, key, phase);
    return;
  }
  if (!key) {
    for (let i = 0; i < n; i++) dst[dstStart + i] = src[srcStart + i] ?? 0;
    return;
  }
  let p = phase & 3;
  for (let i = 0; i < n; i++, p = (p + 1) & 3) dst[dstStart + i] = (src[srcStart + i] ?? 0) ^ (key[p] ?? 0);
}
