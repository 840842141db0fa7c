import { useEffect, useRef, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { infoQuery } from '../../api/queries.ts';
import { NginxConfigPanel } from './NginxConfigPanel.tsx';
import { useNginxConfigStore } from './store.ts';
import './nginx-config.css';

/**
 * The way in: a button that opens the panel as a modal dialog (Escape or Close shuts it; the
 * text, the running config and the last run are kept). Mount it anywhere on the page.
 */
export function NginxConfigButton() {
  const info = useQuery(infoQuery()).data;
  const open = useNginxConfigStore((s) => s.open);
  const set = useNginxConfigStore((s) => s.set);
  // The API takes configs only from the lab's own machine unless --allow-remote-configs says otherwise.
  const remote = !['127.0.0.1', 'localhost', '[::1]', '::1'].includes(window.location.hostname) && !(info?.nginxConfigs?.remoteAllowed ?? false);
  const available = (info?.nginxConfigs?.available ?? false) && !remote;
  const why = remote
    ? 'they are taken only from the machine the lab runs on (start it with --allow-remote-configs to take them from others).'
    : (info?.nginxConfigs?.reason ?? info?.nginx.reason ?? 'real nginx is not running in this lab.');
  return (
    <div className="nginx-config-entry">
      <button
        type="button"
        onClick={() => set({ open: true })}
        disabled={!available}
        aria-haspopup="dialog"
        aria-describedby={info && !available ? 'nginx-config-unavailable' : undefined}
        title={info && !available ? `Pasted nginx configs are not available here: ${why}` : 'Check and run your own nginx location or server block'}
      >
        Your nginx config…
      </button>
      {info && !available && (
        <span id="nginx-config-unavailable" className="visually-hidden">
          Pasted nginx configs are not available here: {why}
        </span>
      )}
      {open && info && <NginxConfigDialog onClose={() => set({ open: false })}><NginxConfigPanel info={info} /></NginxConfigDialog>}
    </div>
  );
}

function NginxConfigDialog({ onClose, children }: { onClose(): void; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    // The text is what a user came for: focus it rather than the dialog's first button.
    el?.querySelector('textarea')?.focus();
    return () => el?.close();
  }, []);
  return (
    <dialog ref={dialog} className="nginx-config-dialog" aria-labelledby="nginx-config-heading" onClose={onClose}>
      <header>
        <h2 id="nginx-config-heading">Your nginx config, run in real nginx</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {children}
    </dialog>
  );
}
