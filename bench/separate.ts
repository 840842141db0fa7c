// The separate-process layout: each server in a process of its own (bench/serve.ts), nginx in
// front of bare `ws`. Not what `npm start` runs; kept to show what sharing one event loop costs
// the shipped layout (compare the ratios with the shipped ones).
import { startNginx, type RunningNginx } from '../server/src/nginx/process.ts';
import { idle } from './load.ts';
import { interleaved, sessions, sizeName, table, type PingPongOptions, type Scenario } from './pingpong.ts';
import { fmt } from './report.ts';
import { rssKiB, serve } from './serve-child.ts';

export async function separateLayout(options: PingPongOptions, sizes: number[], idleCount: number): Promise<void> {
  const bare = await serve('bare-echo');
  const labEcho = await serve('lab-echo');
  const proxyOn = await serve('proxy', String(bare.port), 'on');
  const proxyOff = await serve('proxy', String(bare.port), 'off');
  let nginx: RunningNginx | undefined;
  try {
    nginx = await startNginx({ listenPort: 0, upstreamPort: bare.port });
  } catch (err) {
    console.log(`real nginx is not running, so its rows are missing: ${(err as Error).message}`);
  }
  const nginxName = nginx && `real nginx ${nginx.version} → bare ws`;
  const scenarios: Scenario[] = [
    { name: 'bare ws echo', url: () => `ws://127.0.0.1:${bare.port}/` },
    { name: 'lab echo alone, capture on', url: sessions(`ws://127.0.0.1:${labEcho.port}/`) },
    { name: 'bundled proxy alone → bare ws, capture on', url: sessions(`ws://127.0.0.1:${proxyOn.port}/nginx-websocket/`) },
    { name: 'bundled proxy alone → bare ws, capture off', url: () => `ws://127.0.0.1:${proxyOff.port}/nginx-websocket/` },
    ...(nginx ? [{ name: nginxName!, url: () => `ws://127.0.0.1:${nginx.port}/nginx-websocket/` }] : []),
  ];
  console.log(
    `\n== Separate-process layout (each server alone; not what \`npm start\` runs), ${options.connections} connections in ping-pong, ` +
      `${options.rounds} rounds × ${options.seconds} s per scenario, interleaved`,
  );
  for (const size of sizes) {
    const figures = await interleaved(scenarios, size, options);
    table(`${sizeName(size)} messages (median of ${options.rounds} rounds)`, figures);
    const ratio = (a: string, b: string) => figures.get(a)!.perSecond / figures.get(b)!.perSecond;
    console.log(`  lab echo with capture / bare ws: ${fmt(ratio(scenarios[1]!.name, scenarios[0]!.name), 2)}×`);
    if (nginxName) {
      console.log(`  bundled proxy capture on / nginx: ${fmt(ratio(scenarios[2]!.name, nginxName), 2)}×; capture off / nginx: ${fmt(ratio(scenarios[3]!.name, nginxName), 2)}×`);
    }
  }
  if (idleCount > 0) {
    console.log(`\n  RSS per idle proxied connection, ${fmt(idleCount)} connections, each server alone`);
    // Fresh proxy processes: the throughput runs left garbage whose collection would shrink RSS mid-measurement.
    const idleOn = await serve('proxy', String(bare.port), 'on');
    const targets = [
      { name: 'bundled proxy, capture on', pid: idleOn.pid, url: `ws://127.0.0.1:${idleOn.port}/nginx-websocket/` },
      ...(nginx ? [{ name: `nginx ${nginx.version}`, pid: nginx.pid, url: `ws://127.0.0.1:${nginx.port}/nginx-websocket/` }] : []),
    ];
    const each: number[] = [];
    for (const t of targets) {
      const before = rssKiB(t.pid);
      const held = await idle(t.url, idleCount);
      await new Promise((r) => setTimeout(r, 500));
      const after = rssKiB(t.pid);
      await held.close();
      each.push((after - before) / idleCount);
      console.log(`  ${t.name.padEnd(30)} ${fmt(before / 1024, 1).padStart(7)} MiB → ${fmt(after / 1024, 1).padStart(7)} MiB   ${fmt(each.at(-1)!, 1)} KiB per connection`);
    }
    if (each.length === 2) console.log(`  bundled proxy / nginx, per connection: ${fmt(each[0]! / each[1]!, 1)}×`);
  }
  await nginx?.stop();
}
