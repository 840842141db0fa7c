import type { ConnectEvent, HeaderList, RequestEvent, ResponseEvent } from '../../../../server/src/transcript/types.ts';
import { assertNever } from '../../../../server/src/shared/assert.ts';
import { httpVersion } from '../../components/format.ts';
import { hopByHopNames, hopByHopReason } from './hop-by-hop.ts';

export type HeadEvent = RequestEvent | ResponseEvent | ConnectEvent;

function startLine(event: HeadEvent): string {
  switch (event.kind) {
    case 'request':
      return `${event.method} ${event.target} ${httpVersion(event.httpVersion)}`;
    case 'response':
      return `${httpVersion(event.httpVersion)} ${event.status} ${event.reason}`;
    case 'connect':
      return `CONNECT ${event.target} HTTP/1.1`;
    default:
      return assertNever(event, 'head event');
  }
}

function HeaderLines({ headers }: { headers: HeaderList }) {
  const hop = hopByHopNames(headers);
  return headers.map(([name, value], i) => {
    const isHop = hop.has(name.toLowerCase());
    return (
      <span key={i} className={isHop ? 'line hop' : 'line'}>
        {name}: {value}
        {isHop && (
          <span className="badge badge-warn" title={hopByHopReason(name)} aria-label={`hop-by-hop: ${hopByHopReason(name)}`}>
            hop-by-hop
          </span>
        )}
        {'\n'}
      </span>
    );
  });
}

/** An HTTP head exactly as recorded: start line, then `Name: value` lines in wire order and case. */
export function HeadBlock({ event }: { event: HeadEvent }) {
  const body = event.kind === 'response' ? event.body : undefined;
  return (
    <pre className="wire head" aria-label={`${event.kind} as seen by ${event.observer}`}>
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
  );
}
