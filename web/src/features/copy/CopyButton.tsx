import { useEffect, useState } from 'react';
import { copyAndAnnounce } from './clipboard.ts';

interface Props {
  /** The text to copy, computed only when clicked. */
  text: string | (() => string);
  /** What is copied, for the status line: "the URL", "the request head". */
  what: string;
  /** The button's text; its accessible name is `label ?? "Copy"` plus `what` unless `label` says it all. */
  label?: string;
  className?: string;
}

/** One click copies; a tick shows for a moment and the copy status says what was copied. */
export function CopyButton({ text, what, label, className }: Props) {
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!done) return;
    const t = setTimeout(() => setDone(false), 1500);
    return () => clearTimeout(t);
  }, [done]);
  const onClick = async () => {
    const value = typeof text === 'function' ? text() : text;
    if (await copyAndAnnounce(value, what)) setDone(true);
  };
  return (
    <button
      type="button"
      className={`copy${done ? ' copied' : ''} ${className ?? ''}`}
      aria-label={label ? undefined : `Copy ${what}`}
      title={`Copy ${what}`}
      onClick={() => void onClick()}
    >
      {/* The icon is drawn by CSS, so copying the text around the button never picks it up. */}
      <span aria-hidden="true" className="copy-icon" />
      {label && <span>{label}</span>}
    </button>
  );
}
