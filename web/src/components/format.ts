import type { Party, Seen } from '../../../server/src/transcript/types.ts';

const numberFormat = new Intl.NumberFormat('en-US');

/** 65536 → "65,536". */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** The way the browser's CloseEvent reads in the lab: `CloseEvent 4000 “done” wasClean true`. */
export function describeCloseEvent(close: { code: number; reason: string; wasClean: boolean }): string {
  return `CloseEvent ${close.code} “${close.reason}” wasClean ${close.wasClean}`;
}

/** Which way the bytes travelled. */
export function direction(event: Pick<Seen, 'from' | 'to'>): string {
  return `${event.from} → ${event.to}`;
}

/** An ISO timestamp as local wall-clock time with milliseconds: 14:03:07.412. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `HTTP/1.1` whether the transcript recorded "1.1" or "HTTP/1.1". */
export function httpVersion(version: string): string {
  return version.startsWith('HTTP/') ? version : `HTTP/${version}`;
}

export const PARTY_LABEL: Record<Party, string> = {
  browser: 'browser',
  'reverse-proxy': 'reverse proxy',
  nginx: 'nginx',
  'forward-proxy': 'forward proxy',
  echo: 'echo server',
};

/** Left to right, the way a client's bytes travel: the browser, the hop in the middle, the echo server. */
export const PARTY_ORDER: readonly Party[] = ['browser', 'reverse-proxy', 'nginx', 'forward-proxy', 'echo'];
