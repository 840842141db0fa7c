// One server of the benchmark in its own process, so its CPU and RSS are its own (argv[5]: another
// checkout's source tree, to measure it side by side).
// Prints one JSON line {port, pid} once listening, then runs until killed.
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

// argv: role, upstream port, capture on/off, and the source tree to run (default this one).
const [role, upstreamPort, capture, tree] = process.argv.slice(2);
const root = tree || new URL('..', import.meta.url).pathname;
const load = async <T>(path: string) => (await import(pathToFileURL(`${root}/server/src/${path}`).href)) as T;
const { MemoryTranscriptStore } = await load<typeof import('../server/src/transcript/store.ts')>('transcript/store.ts');
const { createEchoServer } = await load<typeof import('../server/src/echo/server.ts')>('echo/server.ts');
const { createReverseProxy } = await load<typeof import('../server/src/reverse-proxy/server.ts')>('reverse-proxy/server.ts');
const { createStore } = await load<typeof import('../server/src/persist/index.ts')>('persist/index.ts');
const KEEP_RECORDING = { maxEvents: 50_000_000, maxPayloadBytes: 8 * 1024 ** 3, captureBudget: 1024 ** 3 };

async function start(): Promise<number> {
  switch (role) {
    case 'bare-echo': {
      const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
      wss.on('connection', (ws) => {
        ws.on('error', () => {});
        ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
      });
      await new Promise((r) => wss.once('listening', r));
      return (wss.address() as AddressInfo).port;
    }
    case 'lab-echo-ephemeral':
    case 'lab-echo-disk': {
      // Limits that keep recording through the whole run, so the disk is written all along.
      const { store } = createStore(KEEP_RECORDING, role === 'lab-echo-disk' ? upstreamPort : undefined);
      return createEchoServer({ store, port: 0 }).listen();
    }
    case 'lab-echo':
      return createEchoServer({ store: new MemoryTranscriptStore(process.env.BENCH_MAX_EVENTS ? { maxEvents: Number(process.env.BENCH_MAX_EVENTS) } : {}), port: 0 }).listen();
    case 'proxy':
      return createReverseProxy({
        store: new MemoryTranscriptStore(),
        upstream: { host: '127.0.0.1', port: Number(upstreamPort) },
        port: 0,
        capture: capture === 'on',
      }).listen();
    default:
      throw new Error(`unknown role ${role}`);
  }
}

start().then(
  (port) => console.log(JSON.stringify({ port, pid: process.pid })),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
