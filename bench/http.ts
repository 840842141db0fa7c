// The few HTTP calls the benchmarks make to the lab's API.
import { request } from 'node:http';

/** POSTs `{}` as JSON (what the lab's boundary takes from a script on this machine); the answer's text. */
export function post(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

/** Reads a session's whole transcript through the API, as the export does; the bytes it took. */
export function readTranscript(port: number, session: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: `/api/sessions/${session}/transcript` }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(n));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
