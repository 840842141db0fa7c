import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { splitAuthority } from './forward-proxy/allowlist.ts';
import { FORWARD_PROXY_PRESETS, forwardProxyPreset, type ForwardProxyPresetName } from './forward-proxy/presets.ts';
import { startLab } from './lab.ts';
import { removeStaleNginxDirs } from './nginx/process.ts';
import { exposure } from './exposure.ts';
import { parseUpstreams } from './upstream/upstreams.ts';
import { defaultDataDir } from './data-dir.ts';
import { labCertificate, readOwnCertificate, type LabCertificate } from './tls/certificate.ts';
import { tlsNotice } from './tls/notice.ts';

const USAGE = `Usage: npm start -- [options]

  --host <address>               address every listener binds to (default 127.0.0.1); anything
                                 beyond loopback exposes the lab to the network (see README,
                                 "Running it for a class")
  --ui-port <port>               lab UI and API (default 8080)
  --echo-port <port>             echo server (default 8089)
  --proxy-port <port>            reverse proxy with nginx-like presets (default 8090)
  --idle-timeout <ms>            proxy_read_timeout of the nginx-idle-timeout preset (default 2000)
  --nginx-port <port>            real nginx running every preset, when installed (default 8091)
  --nginx <path>                 the nginx binary (default: nginx on PATH)
  --no-nginx                     do not start real nginx
  --forward-proxy-port <port>    forward proxy that tunnels with CONNECT (default 3128)
  --forward-proxy-preset <name>=<port>
                                 the port of a forward-proxy preset (connect-443-only 3129,
                                 tls-only 3130, http-only 3131); repeatable
  --no-forward-proxy-presets     run the plain forward proxy only
  --forward-proxy-allow <list>   host:port,… the forward proxy may tunnel to besides the lab's
                                 own listeners (echo, reverse proxy, nginx); repeatable
  --data-dir <dir>               where the lab keeps what outlives a run: sessions in
                                 <dir>/sessions.sqlite, the TLS certificate under <dir>/tls/
                                 (default $XDG_CACHE_HOME/websocket-upgrade-lab, else
                                 ~/.cache/websocket-upgrade-lab)
  --ephemeral                    keep no sessions on disk: they end with the lab (the TLS
                                 certificate is still kept; --no-tls or --tls-cert avoid that)
  --tls-cert <file>, --tls-key <file>
                                 your own certificate and key (PEM) instead of the generated one
  --ui-tls-port <port>           the lab UI over HTTPS (default 8443)
  --echo-tls-port <port>         the echo server over TLS, wss:// (default 8449)
  --proxy-tls-port <port>        the reverse proxy terminating TLS, wss://…/<preset>/ (default 8450)
  --h2-port <port>               the lab over HTTP/2 (TLS, ALPN h2): the page, the API, and
                                 WebSockets as extended CONNECT streams, RFC 8441 (default 8444)
  --h2-no-connect-port <port>    the same without SETTINGS_ENABLE_CONNECT_PROTOCOL, so WebSockets
                                 fall back to HTTP/1.1 (default 8445)
  --no-tls                       no TLS listeners (and no certificate)
  --allowed-host <name>          another name the lab UI and API answer to (a DNS name students
                                 type); repeatable. Requests naming other hosts get 403
  --head-timeout <ms>            every listener's client_header_timeout: a whole request head
                                 must arrive within it, else 408 (default 60000); a connection
                                 that never upgrades is closed after that long silent
  --capture-budget <size>        memory all sessions' captures may hold together; beyond it the
                                 least recently active session is evicted (default 256MiB)
  --max-payload <size>           largest message the echo server and proxies accept; a larger
                                 one is closed with 1009 (default 16MiB)
  --upstream <name>=ws://host:port[/path]
                                 a WebSocket server of your own, reached at /upstream/<name>/… on
                                 the proxy port (pass-through, or /upstream/<name>/<preset>/…) and
                                 at /upstream/<name>/<preset>/… on the nginx port; repeatable
  --max-nginx-configs <n>        pasted nginx configs that run at once (default 4)
  --allow-remote-configs         take pasted nginx configs from other machines, not only this one
  -h, --help                     this text

A port of 0 picks a free one; GET /api/info reports the ports in use. Sizes take KiB, MiB or
GiB (256MiB), or a number of bytes. Ctrl-C closes every WebSocket with 1001 (going away).`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`${flag} must be a port number from 0 to 65535, not ${JSON.stringify(value)}`);
  return n;
}

function positive(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) fail(`${flag} must be a whole number of milliseconds above 0, not ${JSON.stringify(value)}`);
  return n;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, k: 1024, mib: 1024 ** 2, m: 1024 ** 2, gib: 1024 ** 3, g: 1024 ** 3 };

/** `256MiB`, `64KiB`, `1GiB` or plain bytes. */
export function parseSize(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = UNITS[(match?.[2] ?? 'x').toLowerCase()];
  const n = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!Number.isFinite(n) || n < 1024) fail(`${flag} must be a size of at least 1KiB, such as 256MiB or 64KiB, not ${JSON.stringify(value)}`);
  return n;
}

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** Every preset on its default port, changed by `--forward-proxy-preset <name>=<port>`. */
function forwardProxyPresetPorts(given: string[]): Partial<Record<ForwardProxyPresetName, number>> {
  const ports: Partial<Record<ForwardProxyPresetName, number>> = Object.fromEntries(FORWARD_PROXY_PRESETS.map((p) => [p.name, p.defaultPort]));
  for (const value of given) {
    const [name = '', portText] = value.split('=');
    const preset = forwardProxyPreset(name.trim());
    if (!preset || portText === undefined) fail(`--forward-proxy-preset takes <name>=<port> with a name among ${FORWARD_PROXY_PRESETS.map((p) => p.name).join(', ')}, not ${JSON.stringify(value)}`);
    ports[preset.name] = port(portText, preset.defaultPort, '--forward-proxy-preset');
  }
  return ports;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string' },
        'ui-port': { type: 'string' },
        'echo-port': { type: 'string' },
        'forward-proxy-port': { type: 'string' },
        'forward-proxy-allow': { type: 'string', multiple: true },
        'forward-proxy-preset': { type: 'string', multiple: true },
        'no-forward-proxy-presets': { type: 'boolean' },
        'allowed-host': { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'ui-tls-port': { type: 'string' },
        'echo-tls-port': { type: 'string' },
        'proxy-tls-port': { type: 'string' },
        'no-tls': { type: 'boolean' },
        'h2-port': { type: 'string' },
        'h2-no-connect-port': { type: 'string' },
        'proxy-port': { type: 'string' },
        'idle-timeout': { type: 'string' },
        'head-timeout': { type: 'string' },
        'capture-budget': { type: 'string' },
        'max-payload': { type: 'string' },
        'nginx-port': { type: 'string' },
        nginx: { type: 'string' },
        'no-nginx': { type: 'boolean' },
        upstream: { type: 'string', multiple: true },
        'max-nginx-configs': { type: 'string' },
        'allow-remote-configs': { type: 'boolean' },
        ephemeral: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const allow = list(values['forward-proxy-allow']);
  for (const target of allow) {
    if (!splitAuthority(target)) fail(`--forward-proxy-allow takes host:port targets (example.com:443, [::1]:6379), not ${JSON.stringify(target)}`);
  }
  const presetPorts = values['no-forward-proxy-presets'] ? {} : forwardProxyPresetPorts(values['forward-proxy-preset'] ?? []);
  if (values['data-dir'] === '') fail('--data-dir needs a folder');
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) fail('--tls-cert and --tls-key go together: give both files (PEM), or neither for the generated certificate');
  let certificate: LabCertificate | undefined;
  if (!values['no-tls']) {
    try {
      certificate = values['tls-cert'] !== undefined && values['tls-key'] !== undefined
        ? readOwnCertificate(values['tls-cert'], values['tls-key'])
        : await labCertificate(resolve(values['data-dir'] ?? defaultDataDir()));
    } catch (err) {
      fail(`The lab could not set up TLS: ${(err as Error).message}. Start it with --no-tls to run without TLS listeners.`);
    }
  }
  const tls = certificate && {
    certificate,
    uiPort: port(values['ui-tls-port'], 8443, '--ui-tls-port'),
    echoPort: port(values['echo-tls-port'], 8449, '--echo-tls-port'),
    proxyPort: port(values['proxy-tls-port'], 8450, '--proxy-tls-port'),
    h2Port: port(values['h2-port'], 8444, '--h2-port'),
    h2NoConnectPort: port(values['h2-no-connect-port'], 8445, '--h2-no-connect-port'),
  };
  const removed = removeStaleNginxDirs();
  if (removed.length > 0) console.log(`Removed ${removed.length} folder(s) left by a lab that was killed: ${removed.join(', ')}`);
  const upstreams = parseUpstreams(values.upstream ?? []);
  if (typeof upstreams === 'string') fail(upstreams);
  const maxNginxConfigs = values['max-nginx-configs'] === undefined ? undefined : Number(values['max-nginx-configs']);
  if (maxNginxConfigs !== undefined && (!Number.isInteger(maxNginxConfigs) || maxNginxConfigs < 1 || maxNginxConfigs > 64)) {
    fail(`--max-nginx-configs must be a whole number from 1 to 64, not ${JSON.stringify(values['max-nginx-configs'])}`);
  }
  const dataDir = values.ephemeral ? undefined : resolve(values['data-dir'] ?? defaultDataDir());
  const lab = await startLab({
    ...(dataDir === undefined ? {} : { dataDir }),
    host: values.host ?? '127.0.0.1',
    uiPort: port(values['ui-port'], 8080, '--ui-port'),
    echoPort: port(values['echo-port'], 8089, '--echo-port'),
    proxyPort: port(values['proxy-port'], 8090, '--proxy-port'),
    idleTimeoutMs: positive(values['idle-timeout'], 2000, '--idle-timeout'),
    headTimeoutMs: positive(values['head-timeout'], 60_000, '--head-timeout'),
    maxPayload: parseSize(values['max-payload'], 16 * 1024 ** 2, '--max-payload'),
    limits: { captureBudget: parseSize(values['capture-budget'], 256 * 1024 ** 2, '--capture-budget') },
    allowedHosts: list(values['allowed-host']),
    forwardProxyAllow: allow,
    ...(values['no-nginx'] ? {} : { nginxPort: port(values['nginx-port'], 8091, '--nginx-port') }),
    ...(values.nginx === undefined ? {} : { nginxPath: values.nginx }),
    forwardProxyPort: port(values['forward-proxy-port'], 3128, '--forward-proxy-port'),
    forwardProxyPresetPorts: presetPorts,
    upstreams,
    ...(tls ? { tls } : {}),
    ...(maxNginxConfigs === undefined ? {} : { maxNginxConfigs }),
    ...(values['allow-remote-configs'] ? { allowRemoteConfigs: true } : {}),
  }).catch((err: Error & { code?: string; port?: number }) => {
    const hint = err.code === 'EADDRINUSE' ? ` — another program uses port ${err.port}; pass a different --*-port, or 0 for any free one` : '';
    console.error(`The lab could not start: ${err.message}${hint}`);
    process.exit(1);
  });
  for (const listener of lab.listeners) console.log(`${listener.name.padEnd(16)} ${listener.url}`);
  for (const line of exposure(lab, values.host ?? '127.0.0.1', list(values['allowed-host']))) console.log(line);
  if (lab.sessions.file) console.log(`\nSessions are kept in ${lab.sessions.file} (${lab.sessions.restored} read back; --ephemeral keeps none).`);
  else if (values.ephemeral) console.log('\nSessions are kept in memory only (--ephemeral): they end with the lab.');
  else console.log(`\n${lab.sessions.ephemeral}`);
  if (certificate) for (const line of tlsNotice(certificate, lab.ports.ui)) console.log(line);
  console.log(`\nOpen ${lab.listeners[0]!.url} in Chrome. Ctrl-C stops the lab.`);
  let stopping = false;
  const stop = () => {
    // A second Ctrl-C does not wait for the goodbyes.
    if (stopping) process.exit(1);
    stopping = true;
    lab.close({ graceMs: 1500 }).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
