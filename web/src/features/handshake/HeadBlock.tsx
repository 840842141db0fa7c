import type { ConnectEvent, HeaderList, RequestEvent, ResponseEvent } from '../../../../server/src/transcript/types.ts';
import { PARTY_LABEL } from '../../components/format.ts';
import { headerLine, rawHead, startLine } from '../copy/commands.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { hopByHopNames, hopByHopReason } from './hop-by-hop.ts';

export type HeadEvent = RequestEvent | ResponseEvent | ConnectEvent;

function HeaderLines({ headers }: { headers: HeaderList }) {
  const hop = hopByHopNames(headers);
  return headers.map((header, i) => {
    const [name, value] = header;
    const isHop = hop.has(name.toLowerCase());
    return (
      <span key={i} className={isHop ? 'line hop' : 'line'}>
        <CopyButton className="line-copy" what={`the ${name} header`} text={headerLine(header)} />
        {name}: {value}
        {isHop && (
          <span className="badge badge-warn" title={hopByHopReason(name)}>
            hop-by-hop
          </span>
        )}
        {'\n'}
      </span>
    );
  });
}

/** An HTTP head exactly as recorded: start line, then `Name: value` lines in wire order and case; each copyable. */
export function HeadBlock({ event }: { event: HeadEvent }) {
  const body = event.kind === 'response' ? event.body : undefined;
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
        <HeaderLines headers={event.headers} />
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
