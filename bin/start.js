// `npm start`: build the client if it has not been built yet, then serve it (and the relay)
// with the defaults of `qingdan serve`: 127.0.0.1:8080, data in ./data. `qingdan serve`
// itself never builds. A failed or impossible build does not stop the relay from starting:
// it serves without the client and says so.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildRelay } from './build-relay.js';

/** Where the bundled relay goes (one directory below the root, as buildRelay requires). */
const RELAY_BUNDLE = 'dist/relay.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

if (existsSync('dist/client/index.html')) {
  // Already built. (Run `npx vite build` again after changing client/.)
} else if (!existsSync('client/index.html')) {
  process.stdout.write(
    'qingdan: the client is not built yet (there is no client/index.html); serving the relay only.\n',
  );
} else {
  process.stdout.write('qingdan: building the client (npx vite build)…\n');
  const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) {
    process.stdout.write('qingdan: the client build failed; serving the relay only.\n');
  }
}

// The relay runs bundled (see bin/build-relay.js), rebuilt on every start so it is never older
// than server/; it takes well under a second. Should bundling fail, tsx runs the sources.
let relay = ['--enable-source-maps', RELAY_BUNDLE];
try {
  await buildRelay(RELAY_BUNDLE);
} catch (error) {
  process.stdout.write(
    `qingdan: could not bundle the relay (${error instanceof Error ? error.message : String(error)}); running it through tsx.\n`,
  );
  relay = ['bin/qingdan.js'];
}

// Run the relay as a child and pass SIGINT/SIGTERM on, so it shuts down gracefully.
const serve = spawn(process.execPath, [...relay, 'serve', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => serve.kill(signal));
}
serve.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
