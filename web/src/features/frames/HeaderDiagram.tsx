import type { CSSProperties } from 'react';
import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { formatCount } from '../../components/format.ts';
import { opcodeName, payloadLen7 } from './frame-format.ts';

interface Field {
  name: string;
  bits: number;
  value: string;
}

interface Cell extends Field {
  span: number;
  continued: boolean;
}

const bit = (b: boolean) => (b ? '1' : '0');
const binary = (n: number, width: number) => n.toString(2).padStart(width, '0');

function fields(frame: FrameEvent): Field[] {
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
  if (len7 === 127) list.push({ name: 'Extended payload length (64)', bits: 64, value: formatCount(frame.length) });
  if (frame.masked) list.push({ name: 'Masking-key (32)', bits: 32, value: frame.maskKey ? `0x${frame.maskKey}` : '(not recorded)' });
  return list;
}

/** Splits fields into 32-bit rows, as RFC 6455 §5.2 draws them; a field crossing a row is continued. */
function rows(list: Field[]): Cell[][] {
  const out: Cell[][] = [[]];
  let used = 0;
  for (const field of list) {
    let left = field.bits;
    let continued = false;
    while (left > 0) {
      if (used === 32) {
        out.push([]);
        used = 0;
      }
      const span = Math.min(left, 32 - used);
      out[out.length - 1]!.push({ ...field, span, continued });
      used += span;
      left -= span;
      continued = true;
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
        <div className="bit-row bit-numbers" role="row" aria-hidden="true">
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
