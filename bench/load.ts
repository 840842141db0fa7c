import WebSocket from 'ws';

export interface LoadResult {
  messages: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** One URL for every connection, or one per connection (`i` counts from 0). */
export type Target = string | ((i: number) => string);

export function openAll(url: Target, count: number): Promise<WebSocket[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(typeof url === 'string' ? url : url(i), { perMessageDeflate: false });
        ws.once('open', () => resolve(ws));
        ws.on('error', reject); // stays for the socket's life: a later error must not crash the benchmark
      }),
    ),
  );
}

/** `connections` clients each in ping-pong with one message of `size` bytes, for `seconds`. */
export async function pingPong(url: Target, connections: number, size: number, seconds: number): Promise<LoadResult> {
  const sockets = await openAll(url, connections);
  const payload = Buffer.alloc(size, 0x61);
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let sent = performance.now();
          ws.on('message', () => {
            const now = performance.now();
            latencies.push(now - sent);
            if (now >= until) return resolve();
            sent = now;
            ws.send(payload);
          });
          ws.once('close', () => resolve());
          ws.send(payload);
        }),
    ),
  );
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(sockets.map((ws) => new Promise((r) => (ws.once('close', r), ws.terminate()))));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { messages: latencies.length, seconds: elapsed, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

/** Opens `count` idle connections and keeps them until `close` is called. */
export async function idle(url: Target, count: number): Promise<{ close(): Promise<void> }> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 100) sockets.push(...(await openAll(typeof url === 'string' ? url : (j) => url(i + j), Math.min(100, count - i))));
  return {
    close: async () => {
      await Promise.all(sockets.map((ws) => new Promise((r) => (ws.once('close', r), ws.terminate()))));
    },
  };
}
