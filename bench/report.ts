// How the benchmark prints: figures, targets met or missed (with the gap), the event loop per part.
import { availableParallelism, loadavg } from 'node:os';
import type { LoopFigures } from './shipped.ts';

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

export interface TargetResult {
  label: string;
  value: number;
  met: boolean;
  line: string;
}

/** Every target printed in this run, for the summary at the end. */
export const results: TargetResult[] = [];

/**
 * Prints a figure against its target: `≥ bound` (at least) or `≤ bound` (at most), with `unit`.
 * A missed target says by how much.
 */
export function target(label: string, value: number, op: '≥' | '≤', bound: number, unit = '×', digits = 2): TargetResult {
  const met = op === '≥' ? value >= bound : value <= bound;
  const shown = `${fmt(value, digits)}${unit === '×' ? '×' : ` ${unit}`}`;
  const gap = op === '≥' ? bound - value : value - bound;
  const verdict = Number.isNaN(value)
    ? 'not measured'
    : met
      ? 'met'
      : `MISSED by ${gap < 10 ** -digits ? `less than ${fmt(10 ** -digits, digits)}` : fmt(gap, digits)}${unit === '×' ? '×' : ` ${unit}`} (${fmt((value / bound) * 100)}% of it)`;
  const line = `  ${label.padEnd(52)} ${shown.padStart(10)}  (target ${op} ${fmt(bound, digits)}${unit === '×' ? '×' : ` ${unit}`}) ${verdict}`;
  console.log(line);
  const result = { label, value, met: met && !Number.isNaN(value), line };
  results.push(result);
  return result;
}

/** The lab's event loop during a part: its longest block and p99 delay, against the 50 ms target. */
export function loopLine(part: string, loop: LoopFigures): void {
  const load = loadavg()[0]!;
  console.log(
    `  event loop during ${part}: max ${fmt(loop.maxMs, 1)} ms, p99 ${fmt(loop.p99Ms, 1)} ms; lab CPU ${fmt(loop.cpuMs / 1000, 1)} s in ${fmt(loop.wallMs / 1000, 1)} s (${fmt((loop.cpuMs / loop.wallMs) * 100)}% of a core); ` +
      `RSS ${fmt(loop.rssMiB)} MiB; machine load average ${fmt(load, 1)} on ${availableParallelism()} cores${load > availableParallelism() + 0.5 ? ' (busy: other work bends these figures)' : ''}`,
  );
  target(`longest event-loop block, ${part}`, loop.maxMs, '≤', 50, 'ms', 1);
}

export function summary(): void {
  const missed = results.filter((r) => !r.met);
  console.log(`\nTargets: ${results.length - missed.length} of ${results.length} met.`);
  for (const r of missed) console.log(r.line);
}
