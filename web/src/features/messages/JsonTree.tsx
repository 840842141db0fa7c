import { useState } from 'react';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Past this many children a node lists the rest on request: never cut off without saying so. */
const PAGE = 200;

function Scalar({ value }: { value: Exclude<Json, Json[] | { [key: string]: Json }> }) {
  const kind = value === null ? 'null' : typeof value;
  return <span className={`json-${kind}`}>{JSON.stringify(value)}</span>;
}

function Node({ name, value, depth }: { name: string | undefined; value: Json; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const [shown, setShown] = useState(PAGE);
  const label = name === undefined ? null : <span className="json-key">{JSON.stringify(name)}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <li>
        {label}
        <Scalar value={value} />
      </li>
    );
  }
  const entries: [string | undefined, Json][] = Array.isArray(value) ? value.map((v) => [undefined, v]) : Object.entries(value);
  const [openBracket, closeBracket] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const size = Array.isArray(value) ? `${entries.length} items` : `${entries.length} keys`;
  return (
    <li>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          {label}
          {openBracket}
          {!open && ` … ${closeBracket}`} <span className="hint">{size}</span>
        </summary>
        {open && (
          <ul className="json-children">
            {entries.slice(0, shown).map(([key, v], i) => (
              <Node key={key ?? i} name={key} value={v} depth={depth + 1} />
            ))}
            {entries.length > shown && (
              <li>
                <button type="button" onClick={() => setShown(entries.length)}>
                  Show the other {entries.length - shown}
                </button>
              </li>
            )}
          </ul>
        )}
        {open && closeBracket}
      </details>
    </li>
  );
}

/** JSON, pretty and collapsible: objects and arrays fold (keyboard: Enter or Space on the summary). */
export function JsonTree({ value }: { value: unknown }) {
  return (
    <ul className="json-tree wire" aria-label="JSON">
      <Node name={undefined} value={value as Json} depth={0} />
    </ul>
  );
}

/** The parsed value when `text` is a JSON object or array; anything else stays text. */
export function parseJson(text: string | undefined): { value: unknown } | undefined {
  if (text === undefined || !/^\s*[[{]/.test(text)) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
