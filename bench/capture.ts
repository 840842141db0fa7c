// `npm run bench:capture`: what capture costs the echo server, alone: the lab's echo server with
// capture against bare `ws`, each in a process of its own, at 64 B and 64 KiB, interleaved.
// LAB_ROOT=<tree> adds that checkout's echo server beside this one (a before/after in one run).
import { interleaved, sessions, sizeName, table, type Scenario } from './pingpong.ts';
import { fmt } from './report.ts';
import { serve, stopServed } from './serve-child.ts';

const options = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  seconds: Number(process.env.BENCH_SECONDS ?? 2),
};

async function main(): Promise<void> {
  const bare = await serve('bare-echo');
  const here = await serve('lab-echo');
  const other = process.env.LAB_ROOT ? await serve('lab-echo', '', '', process.env.LAB_ROOT) : undefined;
  const scenarios: Scenario[] = [
    { name: 'bare ws echo', url: () => `ws://127.0.0.1:${bare.port}/` },
    { name: 'lab echo, capture on (this tree)', url: sessions(`ws://127.0.0.1:${here.port}/`) },
    ...(other ? [{ name: `lab echo, capture on (${process.env.LAB_ROOT})`, url: sessions(`ws://127.0.0.1:${other.port}/`) }] : []),
  ];
  console.log(`Capture cost: ${options.connections} connections in ping-pong, ${options.rounds} rounds × ${options.seconds} s, interleaved, each server alone`);
  for (const size of [64, 64 * 1024]) {
    const figures = await interleaved(scenarios, size, options);
    table(`${sizeName(size)} messages`, figures);
    const bareRate = figures.get(scenarios[0]!.name)!.perSecond;
    for (const s of scenarios.slice(1)) console.log(`  ${s.name} / bare ws: ${fmt(figures.get(s.name)!.perSecond / bareRate, 2)}×`);
  }
  stopServed();
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
