// Sessions on disk against --ephemeral: the same lab echo server and limits, each in a process of
// its own (bench/serve.ts), sessions written to SQLite by the journal's worker or kept in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleaved, sessions, sizeName, table, type PingPongOptions, type Scenario } from './pingpong.ts';
import { target } from './report.ts';
import { serve } from './serve-child.ts';

export async function persistence(options: PingPongOptions, sizes: number[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lab-bench-disk-'));
  try {
    const disk = await serve('lab-echo-disk', dataDir);
    const ephemeral = await serve('lab-echo-ephemeral');
    const scenarios: Scenario[] = [
      { name: 'lab echo, sessions saved to disk', url: sessions(`ws://127.0.0.1:${disk.port}/`) },
      { name: 'lab echo, --ephemeral', url: sessions(`ws://127.0.0.1:${ephemeral.port}/`) },
    ];
    console.log(`\n== Sessions on disk against --ephemeral (each lab echo in a process of its own), ${options.connections} connections in ping-pong, interleaved`);
    for (const size of sizes) {
      const figures = await interleaved(scenarios, size, options);
      table(`${sizeName(size)} messages (median of ${options.rounds} rounds)`, figures);
      const [a, b] = scenarios.map((s) => figures.get(s.name)!);
      target(`${sizeName(size)}: saved to disk / --ephemeral`, a!.perSecond / b!.perSecond, '≥', 0.95);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
