// `npm start`: build the client if it has not been built yet or its sources have changed since
// (a pull, an edit), then serve it (and the relay) with the defaults of `qingdan serve`:
// 127.0.0.1:8080, data in ./data. `qingdan serve` itself never builds. A failed or impossible
// build does not stop the relay from starting: it serves the build it has, or none, and says so.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildClient, clientBuildState } from './client-build.js';
import { buildRelay } from './build-relay.js';

/** Where the bundled relay goes (one directory below the root, as buildRelay requires). */
const RELAY_BUNDLE = 'dist/relay.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const client = clientBuildState(root);
if (client === 'current') {
  // Built from the sources as they are.
} else if (!existsSync('client/index.html')) {
  process.stdout.write(
    'qingdan: the client is not built yet (there is no client/index.html); serving the relay only.\n',
  );
} else {
  process.stdout.write(
    client === 'missing'
      ? 'qingdan: building the client (vite build)…\n'
      : 'qingdan: the client has changed since it was built; building it again (vite build)…\n',
  );
  if (!buildClient(root).ok) {
    process.stdout.write(
      existsSync('dist/client/index.html')
        ? 'qingdan: the client build failed; serving the client as it was last built.\n'
        : 'qingdan: the client build failed; serving the relay only.\n',
    );
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

// `npm start` runs this through `sh -c`. A SIGTERM sent to npm alone (a process manager, a
// container's stop, `timeout`) reaches that shell, which does not pass it on: this process
// would be left running, with the relay holding the port. So under npm, when the shell it
// started this from goes away, the relay is stopped as on SIGTERM. (Started some other way,
// e.g. `nohup node bin/start.js &`, it keeps running when its parent goes.)
if (process.env.npm_lifecycle_event !== undefined) {
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphaned);
    serve.kill('SIGTERM');
  }, 500);
}
