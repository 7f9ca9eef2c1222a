// `npm start`: build the client if it is missing or older than its sources, then serve.
import { spawnSync } from 'node:child_process';

const serve = spawnSync(process.execPath, ['bin/qingdan.js', 'serve', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(serve.status ?? 1);
