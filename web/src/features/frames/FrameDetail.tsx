import { memo, useMemo } from 'react';
import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { closeCodeName } from '../../../../server/src/shared/close-codes.ts';
import { base64ToBytes } from '../../components/bytes.ts';
import { direction, formatCount, formatTime, PARTY_LABEL } from '../../components/format.ts';
import { Compression } from './Compression.tsx';
import { opcodeName } from './frame-format.ts';
import { HeaderDiagram } from './HeaderDiagram.tsx';
import { HexDump } from './HexDump.tsx';

interface Props {
  frame: FrameEvent;
  /** Its place among the connection's frames, from 1. */
  number: number | undefined;
}

/** One frame as it was on the wire: header bits, masking key, close payload, and its bytes. */
export const FrameDetail = memo(function FrameDetail({ frame, number }: Props) {
  const payload = useMemo(() => base64ToBytes(frame.payload), [frame.payload]);
  const inflated = useMemo(() => (frame.inflated === undefined ? undefined : base64ToBytes(frame.inflated)), [frame.inflated]);
  const compressed = frame.rsv1 || (frame.opcode === 0x0 && inflated !== undefined);
  return (
    <section className="frame-detail" aria-labelledby="frame-detail-heading">
      <h3 id="frame-detail-heading">
        Frame #{number ?? '?'}: {opcodeName(frame.opcode)}, <span className="wire">{direction(frame)}</span>
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
      {inflated && <Compression frame={frame} inflated={inflated} />}
      <section aria-label="Payload hex dump">
        <h4>Payload{compressed ? ' as sent (compressed)' : ''}: hex dump</h4>
        <HexDump key={`p${frame.seq}`} bytes={payload} label="Payload hex dump" />
      </section>
    </section>
  );
});
