// `nginx -t` in a private folder: nginx's own verdict on a config, with each message tied to
// the file and line it names, so a UI can highlight the line.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NGINX_ERROR_LOG_FLAG_SINCE, versionAtLeast } from './binary.ts';

export type NginxLevel = 'emerg' | 'alert' | 'crit' | 'error' | 'warn' | 'notice' | 'info';

export interface NginxMessage {
  level: NginxLevel;
  /** nginx's words, without the private folder's path. */
  text: string;
  /** The file it names, relative to the private folder (`pasted-server.conf`). */
  file?: string;
  line?: number;
}

export interface NginxTestResult {
  ok: boolean;
  messages: NginxMessage[];
}

/** `nginx: [emerg] unknown directive "x" in /tmp/d/pasted.conf:3` → its parts. */
export function parseNginxMessage(line: string, dir: string): NginxMessage | undefined {
  const match = /^nginx: \[(emerg|alert|crit|error|warn|notice|info)\] (.*)$/.exec(line.trim());
  if (!match) return undefined;
  const level = match[1] as NginxLevel;
  let text = match[2]!;
  let file: string | undefined;
  let at: number | undefined;
  const where = / in (\S+):(\d+)$/.exec(text);
  if (where) {
    text = text.slice(0, where.index);
    file = where[1]!.startsWith(`${dir}/`) ? where[1]!.slice(dir.length + 1) : where[1]!;
    at = Number(where[2]);
  }
  text = text.replaceAll(`${dir}/`, '').replaceAll(dir, '.');
  return { level, text, ...(file === undefined ? {} : { file }), ...(at === undefined ? {} : { line: at }) };
}

/**
 * Writes `files` (which must hold `nginx.conf`) into a new private folder, runs `nginx -t`
 * there, removes the folder and answers what nginx said. `files` gets the folder, for the
 * paths the config names.
 */
export function testNginxConfig(nginxPath: string, version: string, files: (dir: string) => Record<string, string>, timeoutMs = 10_000): Promise<NginxTestResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-lab-nginx-t-'));
  for (const [name, text] of Object.entries(files(dir))) writeFileSync(join(dir, name), text);
  const args = ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')];
  if (versionAtLeast(version, NGINX_ERROR_LOG_FLAG_SINCE)) args.push('-e', join(dir, 'error.log'));
  return new Promise((resolve) => {
    execFile(nginxPath, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      const messages = `${stderr}\n${stdout}`
        .split('\n')
        .map((l) => parseNginxMessage(l, dir))
        .filter((m): m is NginxMessage => m !== undefined);
      if (error && messages.every((m) => m.level === 'warn' || m.level === 'notice' || m.level === 'info')) {
        const why = error.killed ? `did not finish within ${timeoutMs} ms` : error.message;
        messages.push({ level: 'emerg', text: `nginx -t failed: ${why}` });
      }
      resolve({ ok: error === null, messages });
    });
  });
}
