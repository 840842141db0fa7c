import type { FormEvent, SyntheticEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { errorMessage } from '../../api/client.ts';
import { parseHex } from '../../components/bytes.ts';
import { formatCount } from '../../components/format.ts';
import { useLabStore } from '../../store/index.ts';
import { sendOnBrowserSocket } from '../connect/browser-sockets.ts';
import { sendTextFromPage } from './page-actions.ts';

/** Text and binary messages sent on this page's WebSocket. */
export function SendMessage({ conn, open }: { conn: string; open: boolean }) {
  const { text, hex } = useLabStore(useShallow((s) => ({ text: s.composer.text, hex: s.composer.hex })));
  const setComposer = useLabStore((s) => s.setComposer);
  const setNotice = useLabStore((s) => s.setComposerNotice);

  const send = (what: () => string) => (e: FormEvent | SyntheticEvent) => {
    e.preventDefault();
    try {
      setNotice({ tone: 'info', text: what() });
    } catch (error) {
      setNotice({ tone: 'error', text: errorMessage(error) });
    }
  };
  const sendText = (e: FormEvent | SyntheticEvent) => {
    e.preventDefault();
    sendTextFromPage(conn, text);
  };
  const sendBinary = send(() => {
    const bytes = parseHex(hex);
    sendOnBrowserSocket(conn, bytes);
    return `Sent a binary message of ${formatCount(bytes.length)} bytes on ${conn}.`;
  });

  return (
    <fieldset disabled={!open} className="composer-row">
      <legend className="visually-hidden">Send from the browser</legend>
      <form onSubmit={sendText} className="row grow">
        <label htmlFor="composer-text" className="visually-hidden">
          Message text
        </label>
        <textarea
          id="composer-text"
          rows={1}
          value={text}
          placeholder="Message text (Ctrl+Enter sends)"
          onChange={(e) => setComposer({ text: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) sendText(e);
          }}
        />
        <button type="submit" className="primary">
          Send text
        </button>
      </form>
      <form onSubmit={sendBinary} className="row">
        <label htmlFor="composer-hex" className="visually-hidden">
          Message bytes (hex)
        </label>
        <input id="composer-hex" className="wire hex-input" value={hex} placeholder="hex bytes" onChange={(e) => setComposer({ hex: e.target.value })} />
        <button type="submit">Send binary</button>
      </form>
    </fieldset>
  );
}
