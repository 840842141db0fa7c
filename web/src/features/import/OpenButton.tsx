import { useRef } from 'react';
import { useLabStore } from '../../store/index.ts';
import { openFile } from './open-file.ts';

/** **Open…**: a transcript the lab exported, or a HAR saved by Chrome DevTools (or dropped anywhere on the page). */
export function OpenButton() {
  const input = useRef<HTMLInputElement>(null);
  const notice = useLabStore((s) => s.fileNotice);
  return (
    <span className="open-file">
      <button type="button" onClick={() => input.current?.click()} title="Open a transcript (.json) or a HAR from Chrome DevTools in a new read-only session; or drop the file on the page">
        Open…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,.har,application/json"
        aria-label="Open a transcript or HAR file"
        className="visually-hidden"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void openFile(file);
        }}
      />
      {notice && (
        <span className={notice.tone === 'error' ? 'error' : 'hint'} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </span>
      )}
    </span>
  );
}
