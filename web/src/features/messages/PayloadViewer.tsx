import { memo, useMemo } from 'react';
import { strictUtf8, toHex, utf8 } from '../../components/bytes.ts';
import { formatCount } from '../../components/format.ts';
import { useLabStore, type PayloadView } from '../../store/index.ts';
import { CopyButton } from '../copy/CopyButton.tsx';
import { HexDump } from '../frames/HexDump.tsx';
import { JsonTree, parseJson } from './JsonTree.tsx';
import type { LegPayload } from './message-payload.ts';

const VIEWS: [PayloadView, string][] = [
  ['text', 'Text'],
  ['json', 'JSON'],
  ['hex', 'Hex'],
  ['base64', 'Base64'],
];

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 4096) binary += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return btoa(binary);
}

function Sizes({ payload }: { payload: LegPayload }) {
  const { bytes, wireLength, compressed, truncated, inflatedLength = bytes.length } = payload;
  return (
    <p className="hint">
      {compressed
        ? `${formatCount(wireLength)} bytes on the wire (compressed) → ${formatCount(inflatedLength)} bytes inflated`
        : `${formatCount(wireLength)} bytes`}
      {compressed && bytes.length < inflatedLength && ` — the lab kept the first ${formatCount(bytes.length)} of them (its copy cap)`}
      {truncated && !compressed && bytes.length < wireLength && ` — captured ${formatCount(bytes.length)} of them (the lab's copy cap)`}
    </p>
  );
}

/** A message's payload as text, JSON, hex or base64, every byte of it, with a copy of each. */
export const PayloadViewer = memo(function PayloadViewer({ payload, opcode }: { payload: LegPayload; opcode: number }) {
  const chosen = useLabStore((s) => s.payloadView);
  const setPayloadView = useLabStore((s) => s.setPayloadView);
  const { bytes } = payload;
  const text = useMemo(() => (opcode === 0x2 ? undefined : strictUtf8(bytes)), [bytes, opcode]);
  const json = useMemo(() => parseJson(text), [text]);
  const auto: PayloadView = opcode === 0x2 ? 'hex' : json ? 'json' : 'text';
  const view = chosen === 'json' && !json ? auto : (chosen ?? auto);
  const textTitle = payload.compressed ? 'Inflated text (UTF-8)' : 'Text (UTF-8)';

  return (
    <section className="payload-viewer" aria-label="Message payload">
      <div className="payload-bar">
        <div className="segmented" role="group" aria-label="Show the payload as">
          {VIEWS.map(([key, label]) => (
            <button key={key} type="button" aria-pressed={view === key} disabled={key === 'json' && !json} onClick={() => setPayloadView(key)}>
              {label}
            </button>
          ))}
        </div>
        <CopyButton what="the payload as text" label="Copy text" text={() => (text ?? utf8(bytes))} />
        <CopyButton what="the payload as hex" label="Copy hex" text={() => toHex(bytes)} />
        <CopyButton what="the payload as base64" label="Copy base64" text={() => base64Of(bytes)} />
      </div>
      <Sizes payload={payload} />
      {view === 'text' && (
        <section aria-label={textTitle}>
          {text === undefined ? (
            opcode === 0x2 ? (
              <p className="hint">A binary message: see it as hex or base64.</p>
            ) : (
              <p className="hint">Not valid UTF-8 (a text message must be, RFC 6455 §8.1).</p>
            )
          ) : bytes.length === 0 ? (
            <p className="hint">(empty)</p>
          ) : (
            <pre className="wire text-payload" tabIndex={0}>
              {text}
            </pre>
          )}
        </section>
      )}
      {view === 'json' && json && <JsonTree value={json.value} />}
      {view === 'hex' && <HexDump bytes={bytes} label={payload.compressed ? 'Inflated payload hex dump' : 'Message hex dump'} />}
      {view === 'base64' && (
        <pre className="wire text-payload base64" role="group" tabIndex={0} aria-label="Payload as base64">
          {base64Of(bytes) || '(empty)'}
        </pre>
      )}
    </section>
  );
});
