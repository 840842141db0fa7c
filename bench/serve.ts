// One server of the benchmark in its own process, so its CPU and RSS are its own.
// Prints one JSON line {port, pid} once listening, then runs until killed.
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { MemoryTranscriptStore } from '../server/src/transcript/store.ts';
import { createEchoServer } from '../server/src/echo/server.ts';
import { createReverseProxy } from '../server/src/reverse-proxy/server.ts';
import { createStore } from '../server/src/persist/index.ts';

const [role, upstreamPort, capture] = process.argv.slice(2);
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
