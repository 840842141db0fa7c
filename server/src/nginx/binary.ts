// Finding the nginx binary and its version, and saying in plain words why it cannot run.

import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { NginxInfo } from '../api/types.ts';

export const NGINX_NOT_FOUND = "nginx not found on PATH; install Debian's nginx-light or pass --nginx /path/to/nginx";

/** Where distributions put nginx, often off a non-root user's PATH (Debian: /usr/sbin). */
const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin', '/opt/homebrew/bin', '/usr/local/bin'];

export type NginxLookup = { path: string } | { reason: string };

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The nginx binary to run: the explicit one (`--nginx`), else the first on PATH or in the sbin dirs. */
export function findNginx(explicitPath?: string, env: NodeJS.ProcessEnv = process.env, sbinDirs: readonly string[] = SBIN_DIRS): NginxLookup {
  if (explicitPath !== undefined && explicitPath !== '') {
    return isExecutableFile(explicitPath)
      ? { path: explicitPath }
      : { reason: `nginx not found at ${explicitPath} (--nginx): no executable file there` };
  }
  const dirs = [...(env.PATH ?? '').split(delimiter).filter((d) => d !== ''), ...sbinDirs];
  for (const dir of dirs) {
    const candidate = join(dir, 'nginx');
    if (isExecutableFile(candidate)) return { path: candidate };
  }
  return { reason: NGINX_NOT_FOUND };
}

/** `nginx version: nginx/1.22.1` (what `nginx -v` writes to stderr) → `1.22.1`. */
export function parseNginxVersion(output: string): string | undefined {
  return /nginx version: [^/\s]+\/(\d+\.\d+\.\d+)/.exec(output)?.[1];
}

/** Whether `version` is at least `minimum`, both as `major.minor.patch`. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** nginx 1.19.5 added `-e`, which keeps even the first log lines out of /var/log/nginx. */
export const NGINX_ERROR_LOG_FLAG_SINCE = '1.19.5';

/** The version `nginx -v` reports, e.g. `1.22.1`. */
export function nginxVersion(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, ['-v'], { timeout: 5000 }, (error, stdout, stderr) => {
      const version = parseNginxVersion(`${stderr}${stdout}`);
      if (version !== undefined) return resolve(version);
      const why = error ? error.message : `unexpected output: ${JSON.stringify(`${stderr}${stdout}`.trim().slice(0, 200))}`;
      reject(new Error(`could not read the version of ${path} with -v: ${why}`));
    });
  });
}

/** What `/api/info` says about real nginx: its version, or why it is not available. */
export async function nginxStatus(explicitPath?: string): Promise<NginxInfo> {
  const found = findNginx(explicitPath);
  if ('reason' in found) return { available: false, reason: found.reason };
  try {
    return { available: true, version: await nginxVersion(found.path) };
  } catch (error) {
    return { available: false, reason: (error as Error).message };
  }
}
