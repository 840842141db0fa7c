// `npm start`: builds the UI when it is missing or older than its sources, then starts every listener.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureUiBuilt } from './ensure-ui.mjs';

const root = new URL('..', import.meta.url).pathname;
if (!ensureUiBuilt()) process.exit(1);

const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/src/cli.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
