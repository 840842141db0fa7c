// The first flight of a TLS client, read as a proxy in the middle can read it: the ClientHello's
// server name (SNI, RFC 6066 §3) and ALPN protocols (RFC 7301 §3.1) travel in the clear, before
// any key is agreed. Bounded and safe on garbage: every length is checked against what arrived,
// and nothing past MAX_HELLO bytes is read.

/** The most of a ClientHello read: one record's worth and some (Chromium's is about 2 KB, 16 KiB at most per record). */
export const MAX_HELLO = 64 * 1024;

export interface ClientHello {
  /** server_name, when the client sent one (never for an IP address: RFC 6066 §3). */
  serverName?: string;
  /** application_layer_protocol_negotiation, in the client's order. */
  alpn: string[];
  /** supported_versions (TLS 1.3), else the legacy version: `TLS 1.3`, `TLS 1.2`. */
  versions: string[];
}

export type HelloResult =
  | { ok: true; hello: ClientHello; length: number }
  /** `incomplete`: the bytes so far are a ClientHello's start, not all of it; else they are not one. */
  | { ok: false; incomplete: boolean; error: string };

const VERSION_NAMES: Record<number, string> = { 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };
const versionName = (v: number) => VERSION_NAMES[v] ?? (((v & 0x0f0f) === 0x0a0a) ? 'GREASE' : `0x${v.toString(16).padStart(4, '0')}`);

/** The handshake bytes carried by the leading TLS records (content type 22), joined. */
function handshakeBytes(bytes: Buffer): { data: Buffer; complete: boolean } | string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 5 <= bytes.length && at < MAX_HELLO) {
    if (bytes[at] !== 0x16) return parts.length === 0 ? `the first record is of content type ${bytes[at]}, not a handshake (22)` : { data: Buffer.concat(parts), complete: true };
    if (bytes[at + 1] !== 0x03) return `record version ${bytes[at + 1]}.${bytes[at + 2]} is not TLS`;
    const length = bytes.readUInt16BE(at + 3);
    if (length === 0 || length > 16384 + 2048) return `a TLS record of ${length} bytes is out of bounds`;
    const end = Math.min(at + 5 + length, bytes.length);
    parts.push(bytes.subarray(at + 5, end));
    if (end < at + 5 + length) return { data: Buffer.concat(parts), complete: false };
    at = end;
  }
  return { data: Buffer.concat(parts), complete: at >= bytes.length };
}

/** A bounds-checked reader: every read past the end throws, caught once below. */
class Reader {
  constructor(readonly b: Buffer, public at = 0) {}
  need(n: number): void {
    if (this.at + n > this.b.length) throw new RangeError('truncated');
  }
  u8(): number {
    this.need(1);
    return this.b[this.at++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.b.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  take(n: number): Buffer {
    this.need(n);
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
}

/** Reads a ClientHello from the first bytes a client sent inside a tunnel. */
export function parseClientHello(bytes: Buffer): HelloResult {
  const records = handshakeBytes(bytes.subarray(0, MAX_HELLO));
  if (typeof records === 'string') return { ok: false, incomplete: false, error: records };
  const { data } = records;
  if (data.length < 4) return { ok: false, incomplete: true, error: 'fewer than 4 bytes of handshake arrived' };
  if (data[0] !== 1) return { ok: false, incomplete: false, error: `the first handshake message is of type ${data[0]}, not ClientHello (1)` };
  const length = data.readUIntBE(1, 3);
  if (data.length < 4 + length) return { ok: false, incomplete: true, error: `${data.length - 4} of the ClientHello's ${length} bytes arrived` };
  const r = new Reader(data.subarray(4, 4 + length));
  try {
    const legacy = r.u16();
    r.take(32); // random
    r.take(r.u8()); // legacy_session_id
    r.take(r.u16()); // cipher_suites
    r.take(r.u8()); // legacy_compression_methods
    const hello: ClientHello = { alpn: [], versions: [] };
    if (r.at < length) {
      const ext = new Reader(r.take(r.u16()));
      while (ext.at < ext.b.length) {
        const type = ext.u16();
        const body = new Reader(ext.take(ext.u16()));
        if (type === 0) {
          const list = new Reader(body.take(body.u16()));
          while (list.at < list.b.length) {
            const nameType = list.u8();
            const name = list.take(list.u16());
            if (nameType === 0 && hello.serverName === undefined) hello.serverName = name.toString('latin1').replace(/[^\x21-\x7e]/g, '?');
          }
        } else if (type === 16) {
          const list = new Reader(body.take(body.u16()));
          while (list.at < list.b.length) hello.alpn.push(list.take(list.u8()).toString('latin1').replace(/[^\x20-\x7e]/g, '?'));
        } else if (type === 43) {
          const list = new Reader(body.take(body.u8()));
          while (list.at + 2 <= list.b.length) hello.versions.push(versionName(list.u16()));
        }
      }
    }
    hello.versions = hello.versions.filter((v) => v !== 'GREASE');
    if (hello.versions.length === 0) hello.versions.push(versionName(legacy));
    return { ok: true, hello, length: 4 + length };
  } catch {
    return { ok: false, incomplete: false, error: 'a length inside the ClientHello runs past its end' };
  }
}
