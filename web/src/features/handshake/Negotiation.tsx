import { acceptsWebSocket } from '../../../../server/src/shared/accepted.ts';
import type { Connection, OpenEvent, RequestEvent, ResponseEvent } from '../../../../server/src/transcript/types.ts';
import { isConnectReply } from '../../../../server/src/shared/connect.ts';
import { Badge } from '../../components/Badge.tsx';
import { DEFLATE_DEFAULTS, explainDeflateParam, parseExtensions, type Extension } from './extensions.ts';
import { headerValue } from './hop-by-hop.ts';

function protocolsIn(event: RequestEvent | ResponseEvent | undefined): string[] {
  return (event?.headers ?? [])
    .filter(([name]) => name.toLowerCase() === 'sec-websocket-protocol')
    .flatMap(([, value]) => value.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
}

/** What the browser's `open` event said, or why there is none. */
function fromOpen(open: OpenEvent | undefined, closed: boolean, read: (o: OpenEvent) => string): string {
  if (open) return `“${read(open)}”`;
  return closed ? '(the socket never opened)' : '(not open yet)';
}

function SubprotocolVerdict({ offered, selected, client }: { offered: string[]; selected: string[]; client: string }) {
  const chosen = selected[0];
  if (chosen !== undefined && !offered.includes(chosen)) {
    return <Badge tone="error">✗ the 101 selected “{chosen}”, which the {client} never offered: the {client} fails the handshake (RFC 6455 §4.1)</Badge>;
  }
  if (chosen === undefined && offered.length > 0) {
    return (
      <Badge tone="error">
        ✗ the {client} offered subprotocols and the 101 selected none: RFC 6455 allows it, but browsers fail the handshake (WHATWG WebSockets)
      </Badge>
    );
  }
  if (chosen !== undefined) return <Badge tone="ok">✓ both sides speak “{chosen}”</Badge>;
  return <Badge>no subprotocol offered or selected</Badge>;
}

function ExtensionList({ extensions, inAnswer }: { extensions: Extension[]; inAnswer: boolean }) {
  if (extensions.length === 0) return <span>(none)</span>;
  return (
    <ul className="plain">
      {extensions.map((ext, i) => (
        <li key={i}>
          <span className="wire">{ext.name}</span>
          {ext.name.toLowerCase() === 'permessage-deflate' && ext.params.length === 0 && inAnswer && <p className="hint">{DEFLATE_DEFAULTS}</p>}
          {ext.params.length > 0 && (
            <ul>
              {ext.params.map((p) => (
                <li key={p.name}>
                  <span className="wire">{p.value === undefined ? p.name : `${p.name}=${p.value}`}</span>: {explainDeflateParam(p.name, p.value, inAnswer)}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * The subprotocol and extensions the handshake settled, on both sides: what the browser
 * offered, what the 101 it received selected, and what the browser's open event reported.
 */
export function Negotiation({ connection }: { connection: Connection }) {
  const events = connection.events;
  // The browser's own leg; through a hop the lab does not tap (real nginx), the echo server's leg instead.
  const fromBrowser = events.find((e): e is RequestEvent => e.kind === 'request' && e.from === 'browser');
  const request = fromBrowser ?? events.find((e): e is RequestEvent => e.kind === 'request' && e.observer === 'echo');
  // Through the forward proxy, the answer is the 101 inside the tunnel, not the proxy's reply to the CONNECT.
  const response = fromBrowser
    ? events.find((e): e is ResponseEvent => e.kind === 'response' && e.to === 'browser' && !isConnectReply(e))
    : events.find((e): e is ResponseEvent => e.kind === 'response' && e.observer === 'echo' && e.from === 'echo');
  const open = events.find((e): e is OpenEvent => e.kind === 'open');
  const closed = events.some((e) => e.kind === 'close' && e.observer === 'browser');
  // A terminal client (wscat, a test) is registered by no page and reports nothing: it is "the client", with no WebSocket object to read.
  const browser = connection.chosenRoute !== undefined || events.some((e) => e.observer === 'browser');
  const client = browser ? 'browser' : 'client';
  if (!request) return null;
  const upgraded = response !== undefined && acceptsWebSocket(response);
  const offered = protocolsIn(request);
  const selected = upgraded ? protocolsIn(response) : [];
  const answer = response === undefined ? '(no response yet)' : upgraded ? undefined : `(no 101: ${response.status} ${response.reason})`;
  const showProtocol = offered.length > 0 || selected.length > 0 || (open?.protocol ?? '') !== '';
  return (
    <section className="negotiation" aria-label="Negotiated in the handshake">
      <h3>Negotiated in the handshake</h3>
      {!fromBrowser && <p className="hint">No hop in front of the echo server was tapped: offer and answer as the echo server saw them.</p>}
      {showProtocol && (
        <div role="group" aria-label="Subprotocol">
          <dl className="accept-check">
            <dt>Subprotocols the {client} offered</dt>
            <dd className="wire">{offered.join(', ') || '(none)'}</dd>
            <dt>Selected in the 101 (Sec-WebSocket-Protocol)</dt>
            <dd className="wire">{answer ?? (selected.join(', ') || '(none)')}</dd>
            {browser && (
              <>
                <dt>WebSocket.protocol in the browser</dt>
                <dd className="wire">{fromOpen(open, closed, (o) => o.protocol)}</dd>
              </>
            )}
            {upgraded && (
              <>
                <dt>Verdict</dt>
                <dd>
                  <SubprotocolVerdict offered={offered} selected={selected} client={client} />
                </dd>
              </>
            )}
          </dl>
        </div>
      )}
      <div role="group" aria-label="Extensions">
        <dl className="accept-check">
          <dt>Extensions the {client} offered</dt>
          <dd>
            <ExtensionList extensions={parseExtensions(request.headers)} inAnswer={false} />
          </dd>
          <dt>Accepted in the 101 (Sec-WebSocket-Extensions)</dt>
          <dd>
            {answer ?? <ExtensionList extensions={parseExtensions(response!.headers)} inAnswer />}
            {upgraded && headerValue(response.headers, 'sec-websocket-extensions') === undefined && (
              <p className="hint">Nothing was agreed, so every frame travels uncompressed and RSV1 must stay 0 (RFC 6455 §5.2).</p>
            )}
          </dd>
          {browser && (
            <>
              <dt>WebSocket.extensions in the browser</dt>
              <dd className="wire">{fromOpen(open, closed, (o) => o.extensions)}</dd>
            </>
          )}
        </dl>
      </div>
    </section>
  );
}
