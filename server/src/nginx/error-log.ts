// What real nginx said about a connection, read from its error log (the generated config logs
// at info). The tap in front of nginx sees its bytes but not its reasons: when nginx ends a
// tunnel, the line it logged says whether its own timer fired (proxy_read_timeout) or the
// upstream refused, as the bundled proxy records it of itself.

import { closeSync, openSync, readSync } from 'node:fs';

export interface NginxSaid {
  /** The code the bundled proxy records for the same event. */
  code: string;
  message: string;
}

/** Lines kept for connections whose tap has not asked yet (nginx logs before it closes). */
const KEEP_LINES = 500;
const READ_LIMIT = 1024 * 1024;

/** errno → the code Node gives the same socket error. */
const ERRNO: Record<string, string> = { '104': 'ECONNRESET', '110': 'ETIMEDOUT', '111': 'ECONNREFUSED', '113': 'EHOSTUNREACH', '32': 'EPIPE' };

/** What one error-log line says, in the bundled proxy's codes; undefined for lines that explain nothing. */
export function readNginxLine(line: string): NginxSaid | undefined {
  const what = /\[(?:info|error|warn|crit)\] \d+#\d+: \*\d+ (.*?), client: /.exec(line)?.[1];
  if (what === undefined) return undefined;
  if (/^upstream timed out .* while proxying upgraded connection$/.test(what)) {
    return { code: 'PROXY_READ_TIMEOUT', message: `nginx logged "${what}": proxy_read_timeout passed with no data either way, so nginx closed both connections without a close frame` };
  }
  const errno = /\((\d+): [^)]*\)/.exec(what)?.[1];
  if (/upstream|connect\(\) failed/.test(what) && errno !== undefined && ERRNO[errno] !== undefined) {
    return { code: ERRNO[errno], message: `nginx logged "${what}"` };
  }
  return undefined;
}

/** Reads nginx's error log as it grows and answers what it said about one request. */
export class NginxErrorLog {
  private offset = 0;
  private partial = '';
  private lines: string[] = [];

  constructor(private readonly path: string) {}

  /** What nginx logged about the request with this request line (`GET /x HTTP/1.1`), once. */
  about(requestLine: string): NginxSaid[] {
    this.readNew();
    const marker = `request: "${requestLine}"`;
    const said: NginxSaid[] = [];
    this.lines = this.lines.filter((line) => {
      if (!line.includes(marker)) return true;
      const meaning = readNginxLine(line);
      if (meaning) said.push(meaning);
      return false;
    });
    return said;
  }

  private readNew(): void {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return; // nginx gone and its directory removed: nothing more to read
    }
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (let read = 0; read < READ_LIMIT; ) {
        const n = readSync(fd, buffer, 0, buffer.length, this.offset);
        if (n === 0) break;
        this.offset += n;
        read += n;
        const text = this.partial + buffer.subarray(0, n).toString('utf8');
        const lines = text.split('\n');
        this.partial = lines.pop() ?? '';
        this.lines.push(...lines.filter((l) => l.includes('request: "')));
      }
    } finally {
      closeSync(fd);
    }
    if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
  }
}
