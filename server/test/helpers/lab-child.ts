// The lab in a child process, for tests that need its own limits (ulimit -n) or its own
// signals. argv[2] is JSON merged into startLab's options; prints {ports, pid} once listening.
import { startLab } from '../../src/lab.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const lab = await startLab({ host: '127.0.0.1', uiPort: 0, echoPort: 0, ...options });
console.log(JSON.stringify({ ports: lab.ports, pid: process.pid }));
const stop = () => void lab.close({ graceMs: 500 }).finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
