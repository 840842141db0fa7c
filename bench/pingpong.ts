// Ping-pong scenarios run side by side: round by round, the order rotated each round so drift on
// the machine hits them all alike. Prints messages/s and p50/p99 per scenario (medians of rounds).
import { pingPong, type LoadResult, type Target } from './load.ts';
import { fmt, median } from './report.ts';

export interface Scenario {
  name: string;
  /** Called once per run: a run may want fresh sessions. */
  url: () => Target;
}

let runs = 0;
/** Fresh sessions per run, one per connection: a run measures capture, not a session past its limits. */
export function sessions(base: string): () => (i: number) => string {
  return () => {
    const r = ++runs;
    return (i) => `${base}?lab=bench-${process.pid}-${r}-${i}&conn=c`;
  };
}

export interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
}

export interface PingPongOptions {
  connections: number;
  rounds: number;
  seconds: number;
}

/** Runs every scenario `rounds` times at one message size, interleaved; the medians per scenario. */
export async function interleaved(scenarios: Scenario[], size: number, options: PingPongOptions): Promise<Map<string, Figures>> {
  const runs = new Map<string, LoadResult[]>();
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < scenarios.length; i++) {
      const s = scenarios[(i + round) % scenarios.length]!;
      const result = await pingPong(s.url(), options.connections, size, options.seconds);
      runs.set(s.name, [...(runs.get(s.name) ?? []), result]);
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  const figures = new Map<string, Figures>();
  for (const [name, rs] of runs) {
    figures.set(name, { perSecond: median(rs.map((r) => r.perSecond)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) });
  }
  return figures;
}

export const sizeName = (size: number) => (size >= 1024 ? `${size / 1024} KiB` : `${size}-byte`);

export function table(title: string, figures: Map<string, Figures>): void {
  console.log(`\n${title}`);
  console.log(`  ${'scenario'.padEnd(44)} ${'messages/s'.padStart(12)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  for (const [name, f] of figures) {
    console.log(`  ${name.padEnd(44)} ${fmt(f.perSecond).padStart(12)} ${fmt(f.p50, 2).padStart(8)} ${fmt(f.p99, 2).padStart(8)}`);
  }
}
