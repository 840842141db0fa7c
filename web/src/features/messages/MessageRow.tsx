import { memo } from 'react';
import type { FrameEvent, Party } from '../../../../server/src/transcript/types.ts';
import { formatCount, formatTime, PARTY_LABEL } from '../../components/format.ts';
import { opcodeName, preview } from '../frames/frame-format.ts';
import { DIRECTION_TEXT, DIRECTION_TITLE } from './filter-options.ts';
import { HopPath } from './HopPath.tsx';
import { previewOf } from './message-payload.ts';
import { messageText, type Leg, type Message } from './message-model.ts';

const bits = (f: FrameEvent) => `${f.rsv1 ? 1 : 0}${f.rsv2 ? 1 : 0}${f.rsv3 ? 1 : 0}`;
/** A title holds this much of the text: enough to read a message on hover; the inspector holds all of it. */
const TITLE_CHARS = 2000;

function titleOf(message: Message): string {
  const { text, cut } = messageText(message);
  const more = text.length > TITLE_CHARS || cut;
  return `${text.slice(0, TITLE_CHARS)}${more ? `\n… (${formatCount(message.length)} bytes in all: select the message to see every byte)` : ''}`;
}

interface RowProps {
  /** Its index in the list. */
  row: number;
  selected: boolean;
  onSelect: (row: number) => void;
}

interface MessageRowProps extends RowProps {
  message: Message;
  /** Changes whenever the message does (another leg or fragment arrived). */
  version: number;
  parties: readonly Party[];
  expanded: boolean;
  onToggle: (message: number) => void;
}

/** One message: number, direction, opcode, the hops it crossed, its size and the start of its payload. */
export const MessageRow = memo(function MessageRow({ row, message, parties, expanded, selected, onSelect, onToggle }: MessageRowProps) {
  const first = message.legs[0]!.frames[0]!;
  const frames = message.legs.reduce((n, l) => n + l.frames.length, 0);
  return (
    <div
      role="option"
      id={`msg-${message.index}`}
      aria-selected={selected}
      className={`msg-row dir-${message.direction}`}
      onClick={() => onSelect(row)}
    >
      <span
        className="disclosure"
        aria-hidden="true"
        title={expanded ? 'Hide its frames' : `Show its ${frames} frames, leg by leg`}
        onClick={(e) => {
          e.stopPropagation();
          onToggle(message.index);
        }}
      >
        {expanded ? '▾' : '▸'}
      </span>
      <span className="msg-line">
        <span className="msg-num">#{message.index + 1}</span>{' '}
        <span className={`msg-dir dir-${message.direction}`} title={DIRECTION_TITLE[message.direction]}>
          {DIRECTION_TEXT[message.direction]}
        </span>{' '}
        <span className="msg-opcode">{opcodeName(message.opcode)}</span>{' '}
        <HopPath parties={parties} direction={message.direction} legs={message.legs} />{' '}
        {message.differs && <span className="badge badge-warn">altered</span>}{' '}
        <span className="msg-time wire">{formatTime(first.time)}</span>
      </span>
      <span className="msg-line">
        <span className="msg-preview wire" title={titleOf(message)}>
          {messageText(message).text === '' ? <span className="hint">(empty)</span> : previewOf(messageText(message))}
        </span>{' '}
        <span className="msg-frames" title="frames, counted over every leg">
          {frames} {frames === 1 ? 'frame' : 'frames'}
        </span>{' '}
        <span className="msg-size num">{formatCount(message.length)} B</span>{' '}
        <span className="msg-bits wire" title="RSV1 RSV2 RSV3 of its first frame">
          RSV {bits(first)}
        </span>
      </span>
    </div>
  );
});

interface FrameRowProps extends RowProps {
  frame: FrameEvent;
  leg: Leg;
  number: number | undefined;
}

/** One frame of an expanded message: who saw it on which leg, its header bits, length and payload. */
export const FrameRow = memo(function FrameRow({ row, frame, leg, number, selected, onSelect }: FrameRowProps) {
  const who: Party = leg.observer;
  return (
    <div
      role="option"
      id={`frame-${frame.seq}`}
      aria-selected={selected}
      className="msg-row frame-subrow"
      onClick={() => onSelect(row)}
    >
      <span className="msg-line">
        <span className="msg-num">frame #{number ?? '?'}</span>{' '}
        <span className={`party-badge party-${who}`} title={`observed by the ${PARTY_LABEL[who]}`}>
          {who}
        </span>{' '}
        <span className="wire">
          saw {frame.from} → {frame.to}
        </span>{' '}
        <span className="msg-opcode">{opcodeName(frame.opcode)}</span>{' '}
        <span className="wire" title="FIN, RSV1-3, MASK">
          {frame.fin ? 'FIN' : 'not FIN'} RSV {bits(frame)} {frame.masked ? 'masked' : 'unmasked'}
        </span>
      </span>
      <span className="msg-line">
        <span className="msg-preview wire">{preview(frame)}</span>{' '}
        <span className="msg-size num">{formatCount(frame.length)} B</span>
      </span>
    </div>
  );
});
