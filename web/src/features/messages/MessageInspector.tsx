import { useMemo } from 'react';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { formatCount, PARTY_LABEL } from '../../components/format.ts';
import { useLabStore } from '../../store/index.ts';
import { FrameDetail } from '../frames/FrameDetail.tsx';
import { opcodeName } from '../frames/frame-format.ts';
import { DIRECTION_TEXT, DIRECTION_TITLE } from './filter-options.ts';
import { HopPath } from './HopPath.tsx';
import type { Leg, Message, MessageModel } from './message-model.ts';
import { legPayload } from './message-payload.ts';
import { PayloadViewer } from './PayloadViewer.tsx';
import { routeParties, useMessageModel } from './use-message-model.ts';

function Legs({ message, model, selected }: { message: Message; model: MessageModel; selected: number }) {
  const selectFrame = useLabStore((s) => s.selectFrame);
  return (
    <section aria-label="Legs">
      <h4>
        Seen on {message.legs.length} {message.legs.length === 1 ? 'leg' : 'legs'}
      </h4>
      <ul className="plain legs">
        {message.legs.map((leg: Leg) => (
          <li key={leg.key}>
            <span className={`party-badge party-${leg.observer}`}>{leg.observer}</span>{' '}
            <span className="wire">
              saw {leg.from} → {leg.to}
            </span>
            {!leg.done && <span className="hint"> (not finished)</span>}
            <span className="leg-frames">
              {leg.frames.map((f) => (
                <button key={f.seq} type="button" className="chip" aria-pressed={f.seq === selected} onClick={() => selectFrame(f.seq, true)}>
                  #{model.frameNumber(f.seq)} {opcodeName(f.opcode)}
                  {f.fin ? '' : ' (not FIN)'} · {formatCount(f.length)} B
                </button>
              ))}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The selected message: its path, its payload in every view, the legs that saw it, and the selected frame. */
export function MessageInspector({ connection }: { connection: Connection }) {
  const selected = useLabStore((s) => s.selectedFrame);
  const { model, version } = useMessageModel(connection);
  const found = selected === null ? undefined : model.locate(selected);
  const message = found?.message;
  const first = message?.legs[0];
  // Recomputed when the message gains frames (version), not on every flush of other messages.
  const payload = useMemo(() => (first ? legPayload(first.frames) : undefined), [first, first?.frames.length, message?.version]);
  const parties = useMemo(() => routeParties(connection, model.parties), [connection.route, model, version]);

  if (!found || !message || !payload) {
    const why =
      selected === null ? 'Select a message to see its payload, its hops and its frames.'
      : model.frames.length === 0 ? 'Waiting for the transcript…'
      : 'That frame is not in this connection (or not recorded: see the session’s limits).';
    return <p className="hint">{why}</p>;
  }
  return (
    <section className="message-detail" aria-labelledby="message-heading">
      <h3 id="message-heading">
        Message #{message.index + 1}: {opcodeName(message.opcode)},{' '}
        <span className={`msg-dir dir-${message.direction}`} title={DIRECTION_TITLE[message.direction]}>
          {DIRECTION_TEXT[message.direction]}
        </span>
      </h3>
      <p>
        <HopPath parties={parties} direction={message.direction} legs={message.legs} />
      </p>
      {message.differs && (
        <p className="notice" role="note">
          Not every hop saw the same bytes: a later leg carried other bytes than the {PARTY_LABEL[first!.observer]} saw first. Compare the
          frames below.
        </p>
      )}
      <PayloadViewer payload={payload} opcode={message.opcode} />
      <Legs message={message} model={model} selected={found.frame.seq} />
      <FrameDetail frame={found.frame} number={model.frameNumber(found.frame.seq)} />
    </section>
  );
}
