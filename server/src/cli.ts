import { parseArgs } from 'node:util';
import { startLab } from './lab.ts';
import { parseUpstreams } from './upstream/upstreams.ts';

const USAGE = `Usage: npm start -- [options]

  --host <address>             address every listener binds to (default 127.0.0.1)
  --ui-port <port>             lab UI and API (default 8080)
  --echo-port <port>           echo server (default 8089)
  --proxy-port <port>          reverse proxy with nginx-like presets (default 8090)
  --idle-timeout <ms>          proxy_read_timeout of the nginx-idle-timeout preset (default 2000)
  --nginx-port <port>          real nginx running every preset, when installed (default 8091)
  --nginx <path>               the nginx binary (default: nginx on PATH)
  --no-nginx                   do not start real nginx
  --forward-proxy-port <port>  forward proxy that tunnels with CONNECT (default 3128)
  --upstream <name>=ws://host:port[/path]
                               a WebSocket server of your own, reached at /upstream/<name>/… on the
                               proxy port (pass-through, or /upstream/<name>/<preset>/…) and at
                               /upstream/<name>/<preset>/… on the nginx port; repeatable
  --max-nginx-configs <n>      pasted nginx configs that run at once (default 4)
  --allow-remote-configs       take pasted nginx configs from other machines, not only this one
  -h, --help                   this text

A port of 0 picks a free one; GET /api/info reports the ports in use.`;

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${flag} must be a port number from 0 to 65535, not ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

function positive(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`${flag} must be a whole number of milliseconds above 0, not ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
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
        'proxy-port': { type: 'string' },
        'idle-timeout': { type: 'string' },
        'nginx-port': { type: 'string' },
        nginx: { type: 'string' },
        'no-nginx': { type: 'boolean' },
        upstream: { type: 'string', multiple: true },
        'max-nginx-configs': { type: 'string' },
        'allow-remote-configs': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const upstreams = parseUpstreams(values.upstream ?? []);
  if (typeof upstreams === 'string') {
    console.error(upstreams);
    process.exit(2);
  }
  const maxNginxConfigs = values['max-nginx-configs'] === undefined ? undefined : Number(values['max-nginx-configs']);
  if (maxNginxConfigs !== undefined && (!Number.isInteger(maxNginxConfigs) || maxNginxConfigs < 1 || maxNginxConfigs > 64)) {
    console.error(`--max-nginx-configs must be a whole number from 1 to 64, not ${JSON.stringify(values['max-nginx-configs'])}`);
    process.exit(2);
  }
  const lab = await startLab({
    host: values.host ?? '127.0.0.1',
    uiPort: port(values['ui-port'], 8080, '--ui-port'),
    echoPort: port(values['echo-port'], 8089, '--echo-port'),
    proxyPort: port(values['proxy-port'], 8090, '--proxy-port'),
    idleTimeoutMs: positive(values['idle-timeout'], 2000, '--idle-timeout'),
    ...(values['no-nginx'] ? {} : { nginxPort: port(values['nginx-port'], 8091, '--nginx-port') }),
    ...(values.nginx === undefined ? {} : { nginxPath: values.nginx }),
    forwardProxyPort: port(values['forward-proxy-port'], 3128, '--forward-proxy-port'),
    upstreams,
    ...(maxNginxConfigs === undefined ? {} : { maxNginxConfigs }),
    ...(values['allow-remote-configs'] ? { allowRemoteConfigs: true } : {}),
  }).catch((err: Error & { code?: string; port?: number }) => {
    const hint = err.code === 'EADDRINUSE' ? ` — another program uses port ${err.port}; pass a different --*-port, or 0 for any free one` : '';
    console.error(`The lab could not start: ${err.message}${hint}`);
    process.exit(1);
  });
  for (const listener of lab.listeners) console.log(`${listener.name.padEnd(16)} ${listener.url}`);
  console.log(`\nOpen ${lab.listeners[0]!.url} in Chrome. Ctrl-C stops the lab.`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    lab.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
