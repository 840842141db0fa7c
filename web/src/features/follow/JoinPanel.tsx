import { CopyButton } from '../copy/CopyButton.tsx';
import { joinLink } from './presenter-sync.ts';
import { QrCode } from './QrCode.tsx';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** The link (and its QR code) that lets students follow this session from their own laptops. */
export function JoinPanel({ session, qrSize = 180 }: { session: string; qrSize?: number }) {
  const link = joinLink(session);
  const loopback = LOOPBACK.test(window.location.hostname);
  return (
    <div className="join-panel">
      <QrCode text={link} label={`QR code of the join link ${link}`} size={qrSize} />
      <div>
        <p>
          <span className="label">Join link: </span>
          <a href={link} className="wire join-link" target="_blank" rel="noreferrer">
            {link}
          </a>
        </p>
        <CopyButton what="the join link" label="Copy join link" text={() => link} />
        <p className="hint">
          Followers see this tab’s lesson, step and selection live, read-only; each can detach to explore on connections of their own.
        </p>
        {loopback && (
          <p className="hint" role="note">
            This link names {window.location.hostname}: other machines cannot reach it. Start the lab with{' '}
            <code>--host 0.0.0.0 --allowed-host &lt;this machine’s name&gt;</code> and open it under that name.
          </p>
        )}
      </div>
    </div>
  );
}
