import type { ConnectEvent, HeaderList, RequestEvent, ResponseEvent } from '../../../../server/src/transcript/types.ts';
import { PARTY_LABEL } from '../../components/format.ts';
import { headerLine, rawHead, startLine } from '../copy/commands.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { LessonMarkNote, useLessonMark } from '../lessons/LessonMarkNote.tsx';
import { hopByHopNames, hopByHopReason } from './hop-by-hop.ts';

export type HeadEvent = RequestEvent | ResponseEvent | ConnectEvent;

/** `marked`: the header (lower-case) a lesson points at in this head. */
function HeaderLines({ headers, marked }: { headers: HeaderList; marked: string | undefined }) {
  const hop = hopByHopNames(headers);
  return headers.map((header, i) => {
    const [name, value] = header;
    const isHop = hop.has(name.toLowerCase());
    const isMarked = marked === name.toLowerCase();
    return (
      <span key={i} className={isHop ? 'line hop' : 'line'} data-lesson-mark={isMarked || undefined}>
        <CopyButton className="line-copy" what={`the ${name} header`} text={headerLine(header)} />
        {name}: {value}
        {isHop && (
          <span className="badge badge-warn" title={hopByHopReason(name)}>
            hop-by-hop
          </span>
        )}
        {'\n'}
        {isMarked && <LessonMarkNote />}
      </span>
    );
  });
}

/** An HTTP head exactly as recorded: start line, then `Name: value` lines in wire order and case; each copyable. */
export function HeadBlock({ event }: { event: HeadEvent }) {
  const body = event.kind === 'response' ? event.body : undefined;
  const hop = useLessonMark('hop');
  const header = useLessonMark('header');
  return (
    <div className="head-block">
      <CopyButton
        className="head-copy"
        what={`the raw ${event.kind} head as the ${PARTY_LABEL[event.observer]} saw it`}
        label="Copy head"
        text={() => rawHead(event)}
      />
      <pre className="wire head" role="group" aria-label={`${event.kind} as seen by ${event.observer}`} tabIndex={0}>
        <span className="line start-line">
          {startLine(event)}
          {'\n'}
        </span>
        <HeaderLines headers={event.headers} marked={hop === `${event.kind}-${event.seq}` ? header : undefined} />
        {body !== undefined && body.length > 0 && (
          <span className="body">
            {'\n'}
            {body}
          </span>
        )}
      </pre>
    </div>
  );
}
