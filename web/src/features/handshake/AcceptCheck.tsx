import { useEffect, useState } from 'react';
import type { ResponseEvent } from '../../../../server/src/transcript/types.ts';
import { Badge } from '../../components/Badge.tsx';
import { computeAccept } from './accept.ts';
import { LessonMarkNote, useLessonMark } from '../lessons/LessonMarkNote.tsx';
import { headerValue } from './hop-by-hop.ts';

function useAccept(key: string | undefined): string | undefined {
  const [accept, setAccept] = useState<{ key: string; value: string }>();
  useEffect(() => {
    if (key === undefined) return;
    let live = true;
    void computeAccept(key).then((value) => live && setAccept({ key, value }));
    return () => {
      live = false;
    };
  }, [key]);
  return accept && accept.key === key ? accept.value : undefined;
}

/** Sec-WebSocket-Accept as RFC 6455 §4.2.2 computes it from the key, beside the one received. */
export function AcceptCheck({ response, requestKey }: { response: ResponseEvent; requestKey: string | undefined }) {
  const received = headerValue(response.headers, 'sec-websocket-accept');
  const expected = useAccept(requestKey);
  const marked = useLessonMark('accept') === true;
  if (response.h2 !== undefined) {
    return (
      <p className="hint" role="note">
        No Sec-WebSocket-Key or Sec-WebSocket-Accept over HTTP/2: the key and accept prove that an HTTP/1.1 server understood the upgrade; here the
        server's SETTINGS_ENABLE_CONNECT_PROTOCOL and the :status {response.status} to the extended CONNECT do that (RFC 8441 §5).
      </p>
    );
  }
  if (received === undefined && response.status !== 101) return null;
  let verdict;
  if (requestKey === undefined) verdict = <Badge tone="warn">? no Sec-WebSocket-Key recorded on this leg</Badge>;
  else if (received === undefined) verdict = <Badge tone="error">✗ missing: the 101 has no Sec-WebSocket-Accept</Badge>;
  else if (expected === undefined) verdict = <Badge>computing…</Badge>;
  else if (expected === received.trim()) verdict = <Badge tone="ok">✓ match</Badge>;
  else verdict = <Badge tone="error">✗ mismatch: the browser fails the handshake</Badge>;
  return (
    <div role="group" aria-label="Sec-WebSocket-Accept check" data-lesson-mark={marked || undefined}>
      {marked && <LessonMarkNote />}
      <dl className="accept-check">
        <dt>Sec-WebSocket-Key</dt>
        <dd className="wire">{requestKey ?? '(not recorded)'}</dd>
        <dt>Expected Sec-WebSocket-Accept</dt>
        <dd className="wire" title="base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)), RFC 6455 §4.2.2">
          {expected ?? '…'}
        </dd>
        <dt>Received Sec-WebSocket-Accept</dt>
        <dd className="wire">{received ?? '(none)'}</dd>
        <dt>Verdict</dt>
        <dd>{verdict}</dd>
      </dl>
    </div>
  );
}
