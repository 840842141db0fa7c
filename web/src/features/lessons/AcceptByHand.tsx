import { headerValue } from '../../../../server/src/shared/headers.ts';
import type { Connection } from '../../../../server/src/transcript/types.ts';
import { acceptByHand, WEBSOCKET_GUID } from '../../lessons/accept-by-hand.ts';
import { responsesOf } from '../../lessons/evaluate.ts';
import { echoKey } from '../../lessons/world.ts';

/** Sec-WebSocket-Accept worked out from this connection's own key, step by step, beside the one the server sent. */
export function AcceptByHand({ connection }: { connection: Connection }) {
  const key = echoKey(connection);
  if (key === undefined) return <p className="hint">Waiting for the echo server to receive the handshake…</p>;
  const steps = acceptByHand(key);
  const sent = responsesOf(connection, { from: 'echo', seenBy: 'echo' })[0];
  const received = sent && headerValue(sent.headers, 'sec-websocket-accept');
  const same = received !== undefined && received.trim() === steps.accept;
  return (
    <section className="accept-by-hand" aria-labelledby="accept-by-hand-heading">
      <h4 id="accept-by-hand-heading">Sec-WebSocket-Accept by hand</h4>
      <ol className="accept-steps">
        <li>
          The key the browser sent: <code className="wire">{steps.key}</code>
          <span className="hint"> = 16 bytes: {steps.keyBytes}</span>
        </li>
        <li>
          Append the GUID <code className="wire">{WEBSOCKET_GUID}</code>: <code className="wire">{steps.concatenated}</code>
        </li>
        <li>
          SHA-1 of those {steps.concatenated.length} ASCII bytes (20 bytes): <code className="wire">{steps.sha1Hex}</code>
        </li>
        <li>
          Base64 of the 20 bytes: <code className="wire">{steps.accept}</code>
        </li>
        <li>
          The echo server sent: <code className="wire">{received ?? '(no Sec-WebSocket-Accept)'}</code>{' '}
          <strong className={same ? 'tone-ok' : 'tone-error'}>{same ? '✓ the same' : '✗ not the same: the browser fails the handshake'}</strong>
        </li>
      </ol>
    </section>
  );
}
