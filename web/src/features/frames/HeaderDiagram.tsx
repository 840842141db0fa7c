import type { CSSProperties } from 'react';
import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { formatCount } from '../../components/format.ts';
import { opcodeName, payloadLen7 } from './frame-format.ts';

export interface Field {
  name: string;
  bits: number;
  value: string;
  /** The field's bits as hex digits (bits / 4 of them), when a cell showing part of it should show its part. */
  hex?: string;
}

export interface Cell {
  name: string;
  span: number;
  continued: boolean;
  /** What this cell shows: the field's value, or its own part of the bits when the field spans rows. */
  value: string;
}

const bit = (b: boolean) => (b ? '1' : '0');
const binary = (n: number, width: number) => n.toString(2).padStart(width, '0');
const hexOf = (n: number, digits: number) => BigInt(n).toString(16).padStart(digits, '0');

export function fields(frame: FrameEvent): Field[] {
  const len7 = payloadLen7(frame.length);
  const list: Field[] = [
    { name: 'FIN', bits: 1, value: bit(frame.fin) },
    { name: 'RSV1', bits: 1, value: bit(frame.rsv1) },
    { name: 'RSV2', bits: 1, value: bit(frame.rsv2) },
    { name: 'RSV3', bits: 1, value: bit(frame.rsv3) },
    { name: 'opcode (4)', bits: 4, value: `${binary(frame.opcode, 4)} = ${opcodeName(frame.opcode)}` },
    { name: 'MASK', bits: 1, value: bit(frame.masked) },
    {
      name: 'Payload len (7)',
      bits: 7,
      value: `${binary(len7, 7)} = ${len7}${len7 === 126 ? ': 16-bit length follows' : len7 === 127 ? ': 64-bit length follows' : ''}`,
    },
  ];
  if (len7 === 126) list.push({ name: 'Extended payload length (16)', bits: 16, value: formatCount(frame.length) });
  if (len7 === 127) list.push({ name: 'Extended payload length (64)', bits: 64, value: formatCount(frame.length), hex: hexOf(frame.length, 16) });
  if (frame.masked) {
    const key = frame.maskKey && /^[0-9a-f]{8}$/i.test(frame.maskKey) ? frame.maskKey.toLowerCase() : undefined;
    list.push(key ? { name: 'Masking-key (32)', bits: 32, value: `0x${key}`, hex: key } : { name: 'Masking-key (32)', bits: 32, value: '(not recorded)' });
  }
  return list;
}

/**
 * Splits fields into 32-bit rows, as RFC 6455 §5.2 draws them. A field crossing a row is
 * continued on the next, and each part shows its own bits (the masking key's first 16 bits,
 * then its last 16), never the whole value twice.
 */
export function rows(list: Field[]): Cell[][] {
  const out: Cell[][] = [[]];
  let used = 0;
  for (const field of list) {
    let left = field.bits;
    let at = 0;
    while (left > 0) {
      if (used === 32) {
        out.push([]);
        used = 0;
      }
      const span = Math.min(left, 32 - used);
      let value = field.value;
      if (field.hex && span < field.bits) {
        const part = `0x${field.hex.slice(at / 4, (at + span) / 4)}`;
        // A length says its number once, in its first part; a key is only its bits.
        value = at === 0 && field.value !== `0x${field.hex}` ? `${field.value} (${part}…)` : part;
      }
      out[out.length - 1]!.push({ name: field.name, span, continued: at > 0, value });
      used += span;
      left -= span;
      at += span;
    }
  }
  return out;
}

/** The frame header laid out like RFC 6455 §5.2's diagram: bit numbers across, fields as cells. */
export function HeaderDiagram({ frame }: { frame: FrameEvent }) {
  const byte0 = (frame.fin ? 0x80 : 0) | (frame.rsv1 ? 0x40 : 0) | (frame.rsv2 ? 0x20 : 0) | (frame.rsv3 ? 0x10 : 0) | (frame.opcode & 0x0f);
  const byte1 = (frame.masked ? 0x80 : 0) | payloadLen7(frame.length);
  const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;
  return (
    <figure className="header-diagram">
      <figcaption>
        Frame header (RFC 6455 §5.2): first two bytes <span className="wire">{hex(byte0)} {hex(byte1)}</span>
      </figcaption>
      <div className="bit-grid" role="table" aria-label="Frame header bits">
        <div className="bit-row bit-tens" aria-hidden="true">
          {Array.from({ length: 32 }, (_, i) => (
            <span key={i}>{i % 10 === 0 ? i / 10 : ''}</span>
          ))}
        </div>
        <div className="bit-row bit-numbers" aria-hidden="true">
          {Array.from({ length: 32 }, (_, i) => (
            <span key={i}>{i % 10}</span>
          ))}
        </div>
        {rows(fields(frame)).map((row, r) => (
          <div className="bit-row" role="row" key={r}>
            {row.map((cell, c) => (
              <div
                key={c}
                role="cell"
                className={`bit-cell${cell.continued ? ' continued' : ''}${cell.span === 1 ? ' narrow' : ''}`}
                style={{ gridColumn: `span ${cell.span}` } as CSSProperties}
                title={`${cell.name}: ${cell.value}`}
              >
                <span className="bit-name">
                  {cell.name}
                  {cell.continued ? ' (cont.)' : ''}
                </span>
                <span className="bit-value wire">{cell.value}</span>
              </div>
            ))}
          </div>
        ))}
      </div>
    </figure>
  );
}
