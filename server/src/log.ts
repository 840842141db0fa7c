// What the lab says about itself on stderr: server errors, and conditions worth one line
// (descriptor pressure), never once per connection. Tests may swap the sink to read it.

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => console.error(line);
const lastSaid = new Map<string, number>();

export function setLogSink(next: LogSink): void {
  sink = next;
}

export function log(line: string): void {
  sink(line);
}

/**
 * Says `line` once per `key`, and again only after `quietMs` without it, so a condition that
 * repeats for every connection (EMFILE under a flood) costs one line, not thousands.
 */
export function logOnce(key: string, line: string, quietMs = 30_000): void {
  const now = Date.now();
  const last = lastSaid.get(key);
  lastSaid.set(key, now);
  if (last !== undefined && now - last < quietMs) return;
  sink(line);
}
