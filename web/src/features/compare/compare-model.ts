import { acceptsWebSocket } from '../../../../server/src/shared/accepted.ts';
import type { CloseEvent, Connection, FrameEvent, Party, RequestEvent, ResponseEvent } from '../../../../server/src/transcript/types.ts';
import { describeCloseEvent, httpVersion, PARTY_LABEL } from '../../components/format.ts';
import { opcodeName, preview } from '../frames/frame-format.ts';

/** One connection as the compare view lines it up against another. */
export interface CompareSide {
  id: string;
  route: string;
  /** The upgrade request as the echo server received it. */
  echoRequest?: RequestEvent;
  requestLine: string;
  /** The response on the leg that reaches the browser (for a direct connection, the echo server's). */
  browserResponse?: ResponseEvent;
  framesSeenBy?: Party;
  frames: string[];
  outcome: string;
  close: string;
}

export const MAX_FRAMES = 20;

function target(t: string): string {
  const [path, query] = t.split('?');
  return query === undefined ? t : `${path}?…`;
}

/** The frames nearest the browser: on its own leg if a hop watched it, else on the echo server's. */
function framesNearBrowser(frames: FrameEvent[]): { observer?: Party; frames: FrameEvent[] } {
  const browserLeg = frames.filter((f) => f.from === 'browser' || f.to === 'browser');
  const chosen = browserLeg.length > 0 ? browserLeg : frames.filter((f) => f.observer === 'echo');
  const observer = chosen[0]?.observer;
  return observer === undefined ? { frames: [] } : { observer, frames: chosen.filter((f) => f.observer === observer) };
}

function outcome(opened: boolean, response: ResponseEvent | undefined): string {
  if (opened) return `open (${response ? `${response.status} ${response.reason}` : 'the browser fired open'})`;
  if (response && !acceptsWebSocket(response)) return `refused with ${response.status} ${response.reason}`;
  if (response) return `${response.status} ${response.reason}, but the browser did not open`;
  return 'no response recorded';
}

export function compareSide(connection: Connection): CompareSide {
  const events = connection.events;
  const echoRequest = events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === 'echo');
  const browserResponse = events.find((e): e is ResponseEvent => e.kind === 'response' && e.to === 'browser');
  const anyResponse = browserResponse ?? events.find((e): e is ResponseEvent => e.kind === 'response');
  const opened = events.some((e) => e.kind === 'open');
  const browserClose = events.find((e): e is CloseEvent => e.kind === 'close' && e.observer === 'browser');
  const near = framesNearBrowser(events.filter((e): e is FrameEvent => e.kind === 'frame'));
  const side: CompareSide = {
    id: connection.id,
    route: connection.preset ? `${connection.route} · ${connection.preset}` : connection.route,
    requestLine: echoRequest
      ? `${echoRequest.method} ${target(echoRequest.target)} ${httpVersion(echoRequest.httpVersion)}`
      : 'the echo server received no request',
    frames: near.frames.map((f) => `${PARTY_LABEL[f.from]} → ${PARTY_LABEL[f.to]}: ${opcodeName(f.opcode)} ${preview(f)}`.trimEnd()),
    outcome: outcome(opened, anyResponse),
    close: browserClose ? describeCloseEvent(browserClose) : 'no CloseEvent yet',
  };
  if (echoRequest) side.echoRequest = echoRequest;
  if (browserResponse) side.browserResponse = browserResponse;
  if (near.observer) side.framesSeenBy = near.observer;
  return side;
}
