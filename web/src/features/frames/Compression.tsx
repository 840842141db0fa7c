import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { formatCount } from '../../components/format.ts';

/** The compressed size on the wire beside the inflated size: what permessage-deflate did to this message. */
export function Compression({ frame, inflated }: { frame: FrameEvent; inflated: Uint8Array }) {
  // The lab keeps a capped copy of the inflated bytes; inflatedLength is the whole message's size.
  const size = frame.inflatedLength ?? inflated.length;
  const percent = size === 0 ? 0 : Math.round((frame.length / size) * 100);
  return (
    <p className="compression" role="note" aria-label="Compression">
      <span className="label">permessage-deflate: </span>
      {frame.rsv1 ? 'RSV1 is set, so the payload is compressed: ' : 'the message this frame ends was compressed: '}
      {formatCount(frame.length)} bytes on the wire inflate to {formatCount(size)} bytes ({percent}% of the inflated size).
      {frame.opcode === 0x0 && ' The earlier frames of this fragmented message carried compressed bytes too.'}
    </p>
  );
}
