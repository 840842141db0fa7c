import type { FrameEvent } from '../../../../server/src/transcript/types.ts';
import { isConnectReply } from '../../../../server/src/shared/connect.ts';
import { describeCloseEvent, PARTY_LABEL } from '../../components/format.ts';
import { useLabStore } from '../../store/index.ts';
import { opcodeName, preview } from '../frames/frame-format.ts';
import { HeadBlock } from '../handshake/HeadBlock.tsx';
import { TunnelNote } from '../handshake/TunnelNote.tsx';
import { HeaderDiffTable } from './HeaderDiffTable.tsx';
import { observation, pairCaption, type HopPair } from './message-hops.ts';
import { stepMeta, stepTitle, type Step } from './sequence.ts';

const MAX_FRAMES = 100;

/** A frame's place among the connection's frames, from 1. */
export type FrameNumber = (seq: number) => number | undefined;

function FrameRun({ frames, frameNumber }: { frames: FrameEvent[]; frameNumber: FrameNumber }) {
  const show = (seq: number) => useLabStore.setState({ activeTab: 'frames', selectedFrame: seq, frameRowSelected: true });
  return (
    <>
      <ul className="plain frame-run">
        {frames.slice(0, MAX_FRAMES).map((f) => (
          <li key={f.seq} className="wire">
            <button type="button" className="link-button" onClick={() => show(f.seq)} title="Show this frame in the Frames tab">
              frame #{frameNumber(f.seq) ?? '?'}
            </button>{' '}
            {opcodeName(f.opcode)}
            {f.fin ? '' : ' (not fin)'} {f.length} B{f.masked ? ' masked' : ''} {preview(f)}
          </li>
        ))}
      </ul>
      {frames.length > MAX_FRAMES && <p className="hint">…and {frames.length - MAX_FRAMES} more: the Frames tab lists them all.</p>}
    </>
  );
}

function Note({ step }: { step: Extract<Step, { kind: 'note' }> }) {
  const e = step.event;
  if (e.kind === 'open') return <p className="wire">WebSocket open: protocol “{e.protocol}”, extensions “{e.extensions}”</p>;
  if (e.kind === 'close') {
    const text = e.observer === 'browser' ? describeCloseEvent(e) : `close ${e.code} “${e.reason}” wasClean ${e.wasClean}`;
    return <p className="wire">{text}</p>;
  }
  if (e.kind === 'tls-client-hello') {
    return (
      <>
        <dl className="hello">
          <dt>Server name (SNI)</dt>
          <dd className="wire">{e.serverName ?? 'none: a client sends no SNI for an IP address (RFC 6066 §3)'}</dd>
          <dt>ALPN</dt>
          <dd className="wire">{e.alpn.join(', ') || 'none'}</dd>
          <dt>TLS versions offered</dt>
          <dd className="wire">{e.versions.join(', ')}</dd>
        </dl>
        {e.error !== undefined && <p className="hint">Not a whole ClientHello: {e.error}.</p>}
        <p className="hint">
          All a proxy can read of a TLS tunnel: the ClientHello travels in the clear (RFC 8446 §4.1.2); everything after it is encrypted, so no
          request, header or frame of this connection is visible here.
        </p>
      </>
    );
  }
  if (e.kind === 'h2-reset') {
    return (
      <p>
        HTTP/2 <span className="wire">{e.frame}</span> with error code {e.errorCode} ({e.errorName}) on stream {e.streamId}: the WebSocket on it ended without a
        closing handshake (RFC 8441 §5).
      </p>
    );
  }
  if (e.kind === 'tunnel-bytes') {
    return (
      <p>
        The tunnel carried {e.clientToServer} bytes from the {e.from === 'browser' ? 'browser' : e.from} and {e.serverToClient} bytes back, relayed unread
        (TLS records: encrypted).
      </p>
    );
  }
  return (
    <p>
      <span className="wire">{e.code}</span>: {e.message}
    </p>
  );
}

function HeadDetail({ step, pair }: { step: Extract<Step, { kind: 'head' }>; pair: HopPair | undefined }) {
  const e = step.event;
  const tunnel = e.kind === 'connect' || (e.kind === 'response' && isConnectReply(e));
  return (
    <>
      <HeadBlock event={e} />
      {tunnel ? (
        <TunnelNote event={e} />
      ) : pair ? (
        <HeaderDiffTable
          rows={pair.rows}
          caption={pairCaption(pair)}
          label="Header changes"
          beforeLabel={`Before (${PARTY_LABEL[pair.before.observer]})`}
          afterLabel={`After (${PARTY_LABEL[pair.after.observer]})`}
        />
      ) : (
        <p className="hint">
          This is the first observation of the {e.kind} ({observation(e)}): select a later arrow of the same {e.kind} to see what changed on the
          way.
        </p>
      )}
    </>
  );
}

/** The selected arrow: its raw head and what changed since the previous hop, its frames, or its note. */
export function HopDetail({ step, pair, frameNumber }: { step: Step; pair: HopPair | undefined; frameNumber: FrameNumber }) {
  return (
    <section className="hop-detail" aria-label="Hop detail">
      <h3>
        <span className="wire">{stepTitle(step)}</span> <span className="hint">{stepMeta(step)}</span>
      </h3>
      {step.kind === 'head' && <HeadDetail step={step} pair={pair} />}
      {step.kind === 'frames' && <FrameRun frames={step.frames} frameNumber={frameNumber} />}
      {step.kind === 'note' && <Note step={step} />}
    </section>
  );
}
