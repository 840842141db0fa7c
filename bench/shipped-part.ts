// The shipped layout (`npm start`: one process) against real nginx in front of the same echo
// server, and bare `ws` in a process of its own: throughput and latency, then RSS per idle
// proxied connection.
import type { RunningNginx } from '../server/src/nginx/process.ts';
import { idle } from './load.ts';
import { interleaved, sessions, sizeName, table, type PingPongOptions, type Scenario } from './pingpong.ts';
import { fmt, loopLine, target } from './report.ts';
import type { ShippedLab } from './shipped.ts';
import { rssKiB } from './serve-child.ts';


/**
 * `apart`: the bundled proxy in a process of its own in front of the lab's echo server, capture
 * on: what the proxy could reach if it did not share the lab's event loop (the upper bound of
 * moving it to a thread of its own).
 */
export async function shippedThroughput(
  lab: ShippedLab,
  bare: { port: number },
  apart: { port: number },
  nginx: RunningNginx | undefined,
  options: PingPongOptions,
  sizes: number[],
): Promise<void> {
  const nginxName = nginx && `real nginx ${nginx.version} → lab echo`;
  const apartName = 'bundled proxy, own process → lab echo';
  const scenarios: Scenario[] = [
    { name: 'bare ws echo (a process of its own)', url: () => `ws://127.0.0.1:${bare.port}/` },
    { name: 'lab echo, capture on (direct)', url: sessions(`ws://127.0.0.1:${lab.ports.echo}/`) },
    { name: 'bundled proxy → lab echo, capture on', url: sessions(`ws://127.0.0.1:${lab.ports.proxy}/nginx-websocket/`) },
    ...(nginx ? [{ name: nginxName!, url: sessions(`ws://127.0.0.1:${nginx.port}/nginx-websocket/`) }] : []),
    { name: apartName, url: sessions(`ws://127.0.0.1:${apart.port}/nginx-websocket/`) },
  ];
  console.log(
    `\n== Shipped layout: the lab as \`npm start\` runs it (one process: UI, API, echo, proxies), ${options.connections} connections in ping-pong, ` +
      `${options.rounds} rounds × ${options.seconds} s per scenario, interleaved`,
  );
  for (const size of sizes) {
    await lab.loop();
    const figures = await interleaved(scenarios, size, options);
    const loop = await lab.loop();
    table(`${sizeName(size)} messages (median of ${options.rounds} rounds)`, figures);
    const f = (name: string) => figures.get(name)!;
    target(`lab echo with capture / bare ws, ${sizeName(size)}`, f(scenarios[1]!.name).perSecond / f(scenarios[0]!.name).perSecond, '≥', 0.8);
    if (nginxName) {
      target(`bundled proxy with capture / nginx, ${sizeName(size)}`, f(scenarios[2]!.name).perSecond / f(nginxName).perSecond, '≥', 0.9);
      target(`bundled proxy p99 / nginx's p99, ${sizeName(size)}`, f(scenarios[2]!.name).p99 / f(nginxName).p99, '≤', 1.2);
      const apartRatio = f(scenarios[2]!.name).perSecond / f(apartName).perSecond;
      console.log(
        `  not a target: the bundled proxy in a process of its own / nginx ${fmt(f(apartName).perSecond / f(nginxName).perSecond, 2)}×, ` +
          `p99 ${fmt(f(apartName).p99 / f(nginxName).p99, 2)}×; in the lab it does ${fmt(apartRatio, 2)}× what it does on its own ` +
          `(${apartRatio >= 1 ? 'a thread of its own would not buy throughput here' : `a thread of its own could buy up to ${fmt((1 / apartRatio - 1) * 100)}%`})`,
      );
    }
    loopLine(`ping-pong at ${sizeName(size)}`, loop);
  }
}

/**
 * RSS per idle proxied connection as shipped. The lab's echo server sits behind both the
 * bundled proxy and nginx and lives in the lab's process, so the proxy's own cost is the lab's
 * growth through the proxy less its growth through nginx (the echo side alone).
 */
export async function shippedIdle(lab: ShippedLab, nginx: RunningNginx | undefined, count: number): Promise<void> {
  console.log(`\n== Shipped layout: RSS per idle proxied connection, ${fmt(count)} connections`);
  if (!nginx) return console.log('  real nginx is not running: nothing to compare with');
  const url = (port: number) => (i: number) => `ws://127.0.0.1:${port}/nginx-websocket/?lab=idle-${Math.floor(i / 100)}&conn=c${i}`;
  const hold = async (port: number) => {
    const lab0 = rssKiB(lab.pid);
    const nginx0 = rssKiB(nginx.pid);
    const held = await idle(url(port), count);
    await new Promise((r) => setTimeout(r, 1000));
    const grown = { lab: (rssKiB(lab.pid) - lab0) / count, nginx: (rssKiB(nginx.pid) - nginx0) / count };
    await held.close();
    await new Promise((r) => setTimeout(r, 1000));
    return grown;
  };
  const viaNginx = await hold(nginx.port);
  const viaProxy = await hold(lab.ports.proxy!);
  const proxyEach = viaProxy.lab - viaNginx.lab;
  console.log(`  through nginx: nginx grew ${fmt(viaNginx.nginx, 1)} KiB per connection, the lab (its echo side) ${fmt(viaNginx.lab, 1)} KiB`);
  console.log(`  through the bundled proxy: the lab grew ${fmt(viaProxy.lab, 1)} KiB per connection, so ${fmt(proxyEach, 1)} KiB for the proxy`);
  target('RSS per idle proxied connection, bundled proxy / nginx', proxyEach / viaNginx.nginx, '≤', 2, '×', 1);
}
