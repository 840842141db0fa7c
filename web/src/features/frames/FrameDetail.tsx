import { useMemo } from 'react';
import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { closeCodeName } from '../../../../server/src/shared/close-codes.ts';
import { base64ToBytes, strictUtf8, utf8 } from '../../components/bytes.ts';
import { direction, formatCount, formatTime, PARTY_LABEL } from '../../components/format.ts';
import { Compression } from './Compression.tsx';
import { opcodeName } from './frame-format.ts';
import { HeaderDiagram } from './HeaderDiagram.tsx';
import { HexDump } from './HexDump.tsx';

function PayloadText({ bytes, truncated, title }: { bytes: Uint8Array; truncated: boolean; title: string }) {
  // A capped capture may end inside a multi-byte character, so only a complete one must be strictly valid.
  const text = truncated ? utf8(bytes) : strictUtf8(bytes);
  return (
    <section aria-label={title}>
      <h4>{title}</h4>
      {text === undefined ? (
        <p className="hint">Not valid UTF-8 (a text message must be, RFC 6455 §8.1).</p>
      ) : (
        <pre className="wire text-payload">{text}</pre>
      )}
    </section>
  );
}

/** Everything about one frame: header bits, mask key, payload as hex and text, inflated data, close. */
export function FrameDetail({ frame }: { frame: FrameEvent }) {
  const payload = useMemo(() => base64ToBytes(frame.payload), [frame.payload]);
  const inflated = useMemo(() => (frame.inflated === undefined ? undefined : base64ToBytes(frame.inflated)), [frame.inflated]);
  const name = opcodeName(frame.opcode);
  const textual = frame.opcode === 0x1 || frame.opcode === 0x0 || frame.opcode === 0x9 || frame.opcode === 0xa;
  const compressed = frame.rsv1 || (frame.opcode === 0x0 && inflated !== undefined);
  return (
    <section className="frame-detail" aria-labelledby="frame-detail-heading">
      <h3 id="frame-detail-heading">
        Frame #{frame.seq}: {name}, <span className="wire">{direction(frame)}</span>
      </h3>
      <p className="hint">
        Observed by the {PARTY_LABEL[frame.observer]} at {formatTime(frame.time)}; {formatCount(frame.length)} payload bytes declared.
      </p>
      {frame.truncated && (
        <p className="notice" role="note">
          Truncated: captured {formatCount(payload.length)} of {formatCount(frame.length)} bytes.
        </p>
      )}
      <HeaderDiagram frame={frame} />
      {frame.masked && (
        <p>
          <span className="label">Masking key: </span>
          <span className="wire">{frame.maskKey ?? '(not recorded)'}</span>{' '}
          <span className="hint">(the payload below is shown unmasked)</span>
        </p>
      )}
      {frame.close && (
        <p className="close-info">
          <span className="label">Close: </span>
          {frame.close.code === undefined ? (
            'no status code (the receiver reports 1005)'
          ) : (
            <>
              code <span className="wire">{frame.close.code}</span> ({closeCodeName(frame.close.code)})
            </>
          )}
          , reason <span className="wire">“{frame.close.reason}”</span>
        </p>
      )}
      {textual && !compressed && <PayloadText bytes={payload} truncated={frame.truncated} title="Text (UTF-8)" />}
      {inflated && (
        <section aria-label="Inflated payload">
          <Compression frame={frame} inflated={inflated} />
          <h4>Inflated payload (permessage-deflate, {formatCount(inflated.length)} bytes)</h4>
          {frame.opcode !== 0x2 && <PayloadText bytes={inflated} truncated={(frame.inflatedLength ?? 0) > inflated.length} title="Inflated text (UTF-8)" />}
          <HexDump key={`i${frame.seq}`} bytes={inflated} label="Inflated payload hex dump" />
        </section>
      )}
      <section aria-label="Payload hex dump">
        <h4>Payload{compressed ? ' as sent (compressed)' : ''}: hex dump</h4>
        <HexDump key={`p${frame.seq}`} bytes={payload} label="Payload hex dump" />
      </section>
    </section>
  );
}
