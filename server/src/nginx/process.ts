// Real nginx as a child of the lab: a private prefix dir, the generated config, a free port,
// and cleanup on every way out, so nginx never outlives the lab.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Preset } from '../reverse-proxy/presets.ts';
import { findNginx, NGINX_ERROR_LOG_FLAG_SINCE, nginxVersion, versionAtLeast } from './binary.ts';
import { nginxConfig, type NginxConfigOptions } from './config.ts';
import { NGINX_DIR_PREFIX, OWNER_FILE } from './stale.ts';

export { NGINX_DIR_PREFIX, removeStaleNginxDirs } from './stale.ts';

export class NginxError extends Error {
  constructor(
    readonly code: 'NGINX_NOT_FOUND' | 'NGINX_VERSION' | 'NGINX_START_FAILED' | 'NGINX_START_TIMEOUT',
    message: string,
  ) {
    super(message);
    this.name = 'NginxError';
  }
}

export interface StartNginxOptions {
  /** `--nginx`; else found on PATH or in the usual sbin dirs. */
  nginxPath?: string;
  /** 0 picks a free port. */
  listenPort: number;
  listenHost?: string;
  /** The echo server's port on 127.0.0.1. */
  upstreamPort: number;
  presets?: readonly Preset[];
  /** `--upstream`s and the relay ports that reach them (see NginxConfigOptions). */
  upstreams?: NginxConfigOptions['upstreams'];
  /**
   * The files to write into the private dir instead of the presets' config: `nginx.conf` and
   * whatever it includes, for nginx listening on `listen`. Paths inside are under `dir`.
   */
  render?: (listen: { host: string; port: number }, dir: string) => Record<string, string>;
  /** How long nginx may take to accept connections. */
  startTimeoutMs?: number;
}

export interface RunningNginx {
  port: number;
  version: string;
  pid: number;
  /** The private prefix dir: nginx.conf, error.log, access.log, temp paths. Removed by stop(). */
  dir: string;
  /** Settles when nginx exits, for any reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The end of error.log, for a message that says what nginx said. */
  errorLog(): string;
  /** Stops nginx (SIGTERM, then SIGKILL after 3 s), waits for it to exit, removes its dir. */
  stop(): Promise<void>;
}

const ATTEMPTS = 5;

/** Every nginx still running, killed synchronously if the lab exits first. */
const running = new Map<ChildProcess, string>();

function killAllNow(): void {
  for (const [child, dir] of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  running.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles the signal (the CLI's graceful stop): it stops nginx after the
  // WebSockets through it were told 1001; killing it now would cut them with 1006.
  if (process.listenerCount(signal) > 0) {
    process.once(signal, onSignal);
    return;
  }
  killAllNow();
  // Our listener replaced Node's default (exit); restore it when nobody else handles the signal.
  process.kill(process.pid, signal);
}

let cleanupRegistered = false;
function registerCleanup(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  process.once('exit', killAllNow);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

let setprivPath: string | null | undefined;
/**
 * Linux's setpriv can set a parent-death signal before it execs nginx, so nginx gets SIGTERM
 * even when the lab is killed with SIGKILL and no exit handler runs. The pid stays nginx's.
 */
function watchdog(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return setprivPath;
  for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) {
    if (!existsSync(candidate)) continue;
    const help = spawnSync(candidate, ['--help'], { encoding: 'utf8', timeout: 2000 });
    if (`${help.stdout ?? ''}`.includes('--pdeathsig')) setprivPath = candidate;
    break;
  }
  return setprivPath;
}

/** A port nobody listens on right now: bind 0, read it, close. nginx may still lose it; we retry. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Attempt = { ok: true; nginx: RunningNginx } | { ok: false; addressInUse: boolean; error: NginxError };

async function attempt(path: string, version: string, port: number, options: StartNginxOptions): Promise<Attempt> {
  const host = options.listenHost ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), NGINX_DIR_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  const conf = join(dir, 'nginx.conf');
  const errorLogPath = join(dir, 'error.log');
  if (options.render) {
    for (const [name, text] of Object.entries(options.render({ host, port }, dir))) writeFileSync(join(dir, name), text);
  } else {
    const presets = options.presets === undefined ? {} : { presets: options.presets };
    const upstreams = options.upstreams === undefined ? {} : { upstreams: options.upstreams };
    writeFileSync(conf, nginxConfig({ listenPort: port, listenHost: host, upstreamPort: options.upstreamPort, prefix: dir, ...presets, ...upstreams }));
  }

  const args = ['-p', dir, '-c', conf];
  if (versionAtLeast(version, NGINX_ERROR_LOG_FLAG_SINCE)) args.push('-e', errorLogPath);
  const guard = watchdog();
  const child = guard === null ? spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(guard, ['--pdeathsig', 'TERM', '--', path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(child, dir);
  registerCleanup();

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      collect(Buffer.from(`${error.message}\n`));
      resolve({ code: null, signal: null });
    });
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((result) => {
    exit = result;
    running.delete(child);
  });

  const said = () => tail(`${readLog(errorLogPath)}\n${output}`.trim()) || '(nginx wrote nothing)';
  const fail = async (code: NginxError['code'], why: string): Promise<Attempt> => {
    if (exit === undefined) child.kill('SIGKILL');
    await exited;
    const log = said();
    rmSync(dir, { recursive: true, force: true });
    return { ok: false, addressInUse: /Address already in use/i.test(log), error: new NginxError(code, `${why}; nginx said:\n${log}`) };
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 5000);
  for (;;) {
    if (exit !== undefined) {
      return fail('NGINX_START_FAILED', `nginx (${path}) exited with ${exit.signal ?? `code ${exit.code}`} before listening on ${host}:${port}`);
    }
    // The pid file is written after the listening socket is bound, so a connect that follows
    // it reaches this nginx, not whoever took the port in between.
    if (existsSync(join(dir, 'nginx.pid')) && (await canConnect(host, port))) break;
    if (Date.now() > deadline) {
      return fail('NGINX_START_TIMEOUT', `nginx (${path}) did not accept connections on ${host}:${port} within ${options.startTimeoutMs ?? 5000} ms`);
    }
    await sleep(20);
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (exit === undefined) {
        // SIGTERM is nginx's fast shutdown: it does not wait for open WebSocket tunnels as SIGQUIT would.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  return {
    ok: true,
    nginx: { port, version, pid: child.pid ?? 0, dir, exited, errorLog: () => tail(readLog(errorLogPath), 50), stop },
  };
}

/**
 * Starts real nginx in front of the echo server with every preset as a location. Rejects
 * with an NginxError that says what nginx said when it cannot start.
 */
export async function startNginx(options: StartNginxOptions): Promise<RunningNginx> {
  const found = findNginx(options.nginxPath);
  if ('reason' in found) throw new NginxError('NGINX_NOT_FOUND', found.reason);
  let version: string;
  try {
    version = await nginxVersion(found.path);
  } catch (error) {
    throw new NginxError('NGINX_VERSION', (error as Error).message);
  }
  let last: NginxError | undefined;
  for (let i = 0; i < (options.listenPort === 0 ? ATTEMPTS : 1); i++) {
    const port = options.listenPort === 0 ? await freePort(options.listenHost) : options.listenPort;
    const result = await attempt(found.path, version, port, options);
    if (result.ok) return result.nginx;
    last = result.error;
    // Only a port we picked ourselves may be swapped for another.
    if (!result.addressInUse) break;
  }
  throw last ?? new NginxError('NGINX_START_FAILED', 'nginx did not start');
}
