import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { errorMessage } from '../../api/client.ts';
import { parseHex, utf8Length } from '../../components/bytes.ts';
import { formatCount } from '../../components/format.ts';
import { useLabStore } from '../../store/index.ts';
import { sendOnBrowserSocket } from '../connect/browser-sockets.ts';

/** Text and binary messages sent on this page's WebSocket. */
export function SendMessage({ conn, open }: { conn: string; open: boolean }) {
  const { text, hex } = useLabStore(useShallow((s) => ({ text: s.composer.text, hex: s.composer.hex })));
  const setComposer = useLabStore((s) => s.setComposer);
  const setNotice = useLabStore((s) => s.setComposerNotice);

  const send = (what: () => string) => (e: FormEvent) => {
    e.preventDefault();
    try {
      setNotice({ tone: 'info', text: what() });
    } catch (error) {
      setNotice({ tone: 'error', text: errorMessage(error) });
    }
  };
  const sendText = send(() => {
    sendOnBrowserSocket(conn, text);
    return `Sent a text message of ${formatCount(utf8Length(text))} bytes on ${conn}.`;
  });
  const sendBinary = send(() => {
    const bytes = parseHex(hex);
    sendOnBrowserSocket(conn, bytes);
    return `Sent a binary message of ${formatCount(bytes.length)} bytes on ${conn}.`;
  });

  return (
    <fieldset disabled={!open}>
      <legend>Send from the browser</legend>
      <form onSubmit={sendText} className="row">
        <label htmlFor="composer-text">Message text</label>
        <textarea id="composer-text" rows={2} value={text} onChange={(e) => setComposer({ text: e.target.value })} />
        <button type="submit">Send text</button>
      </form>
      <form onSubmit={sendBinary} className="row">
        <label htmlFor="composer-hex">Message bytes (hex)</label>
        <input id="composer-hex" className="wire" value={hex} onChange={(e) => setComposer({ hex: e.target.value })} />
        <button type="submit">Send binary</button>
      </form>
    </fieldset>
  );
}
