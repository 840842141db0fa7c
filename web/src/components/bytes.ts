/** Decodes base64 (as the transcript stores payloads) into bytes. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Only the first `max` bytes: cheap enough for a list row of a 100,000-frame transcript. */
export function base64Prefix(base64: string, max: number): Uint8Array {
  const chars = Math.ceil(max / 3) * 4;
  return base64ToBytes(base64.length <= chars ? base64 : base64.slice(0, chars));
}

export function toHex(bytes: Uint8Array, separator = ' '): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(separator);
}

const lenient = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true });

export function utf8(bytes: Uint8Array): string {
  return lenient.decode(bytes);
}

/** The text if `bytes` are valid UTF-8, else undefined. */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Parses "01 02 ff", "0102ff" or "0x01,0x02": whitespace, commas and 0x prefixes are ignored. */
export function parseHex(text: string): Uint8Array<ArrayBuffer> {
  const digits = text.replace(/0x/gi, '').replace(/[\s,:]/g, '');
  if (/[^0-9a-f]/i.test(digits)) throw new Error('Hex bytes may contain only 0-9 and a-f (spaces, commas and 0x are ignored).');
  if (digits.length % 2 !== 0) throw new Error(`${digits.length} hex digits is not a whole number of bytes: each byte takes two.`);
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Length of a string once encoded as UTF-8, as a close frame counts it. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
