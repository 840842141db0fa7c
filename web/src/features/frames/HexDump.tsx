import { useMemo, useState } from 'react';
import { formatCount } from '../../components/format.ts';

const SHOWN_AT_FIRST = 4096;

function line(bytes: Uint8Array, offset: number): string {
  const row = bytes.subarray(offset, offset + 16);
  let hex = '';
  let ascii = '';
  for (let i = 0; i < 16; i++) {
    const b = row[i];
    hex += (b === undefined ? '  ' : b.toString(16).padStart(2, '0')) + (i === 7 ? '  ' : ' ');
    if (b !== undefined) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return `${offset.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`;
}

/** offset, 16 bytes in hex, the same bytes as ASCII: the layout of `hexdump -C`. */
export function HexDump({ bytes, label }: { bytes: Uint8Array; label: string }) {
  const [all, setAll] = useState(false);
  const shown = all ? bytes.length : Math.min(bytes.length, SHOWN_AT_FIRST);
  const lines = useMemo(() => {
    const out: string[] = [];
    for (let offset = 0; offset < shown; offset += 16) out.push(line(bytes, offset));
    return out;
  }, [bytes, shown]);
  if (bytes.length === 0) return <p className="hint">(no payload bytes)</p>;
  return (
    <div className="hexdump">
      <pre className="wire" role="group" aria-label={label} tabIndex={0}>
        {lines.join('\n')}
      </pre>
      {shown < bytes.length && (
        <button type="button" onClick={() => setAll(true)}>
          Show all {formatCount(bytes.length)} bytes
        </button>
      )}
    </div>
  );
}
