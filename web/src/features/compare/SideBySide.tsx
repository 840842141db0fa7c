import type { ReactNode } from 'react';
import { PARTY_LABEL } from '../../components/format.ts';
import { HeadBlock } from '../handshake/HeadBlock.tsx';
import type { CompareSide } from './compare-model.ts';
import { MAX_FRAMES } from './compare-model.ts';

function Row({ label, left, right, differs }: { label: string; left: ReactNode; right: ReactNode; differs: boolean }) {
  return (
    <tr className={differs ? 'differs' : undefined}>
      <th scope="row">
        {label}
        {differs && <span className="badge badge-warn">differs</span>}
      </th>
      <td>{left}</td>
      <td>{right}</td>
    </tr>
  );
}

function Response({ side }: { side: CompareSide }) {
  if (side.browserResponse) return <HeadBlock event={side.browserResponse} />;
  return side.route.startsWith('nginx') ? (
    <span className="hint">not observed: real nginx does not tell the lab what it answered the browser (see Outcome)</span>
  ) : (
    <span className="hint">no response reached the browser</span>
  );
}

function Frames({ side }: { side: CompareSide }) {
  if (side.frames.length === 0) return <span className="hint">no frames</span>;
  return (
    <>
      <span className="hint">seen by the {PARTY_LABEL[side.framesSeenBy ?? 'echo']}</span>
      <ul className="plain wire">
        {side.frames.slice(0, MAX_FRAMES).map((f, i) => (
          <li key={i}>{f}</li>
        ))}
      </ul>
      {side.frames.length > MAX_FRAMES && <span className="hint">…and {side.frames.length - MAX_FRAMES} more</span>}
    </>
  );
}

/** Status and header names (values such as Date and Sec-WebSocket-Accept always differ). */
const responseShape = (s: CompareSide) =>
  s.browserResponse ? [s.browserResponse.status, ...s.browserResponse.headers.map(([n]) => n)].join('\n') : '';
const frameKinds = (s: CompareSide) => s.frames.map((f) => f.replace(/^.*?: /, '')).join('\n');

/** The two connections, aspect by aspect; a row whose two sides differ says so. */
export function SideBySide({ left, right }: { left: CompareSide; right: CompareSide }) {
  return (
    <table className="side-by-side" aria-label="Side by side">
      <thead>
        <tr>
          <td />
          <th scope="col">
            Left: <span className="wire">{left.id}</span> ({left.route})
          </th>
          <th scope="col">
            Right: <span className="wire">{right.id}</span> ({right.route})
          </th>
        </tr>
      </thead>
      <tbody>
        <Row
          label="Request line at the echo server"
          left={<span className="wire">{left.requestLine}</span>}
          right={<span className="wire">{right.requestLine}</span>}
          differs={left.requestLine !== right.requestLine}
        />
        <Row
          label="Response the browser got"
          left={<Response side={left} />}
          right={<Response side={right} />}
          differs={responseShape(left) !== responseShape(right)}
        />
        <Row label="Frames" left={<Frames side={left} />} right={<Frames side={right} />} differs={frameKinds(left) !== frameKinds(right)} />
        <Row label="Outcome" left={left.outcome} right={right.outcome} differs={left.outcome !== right.outcome} />
        <Row
          label="Browser close"
          left={<span className="wire">{left.close}</span>}
          right={<span className="wire">{right.close}</span>}
          differs={left.close !== right.close}
        />
      </tbody>
    </table>
  );
}
