// Bundles the relay (server/cli.ts and what it imports) into one ES module with esbuild; the
// packages stay in node_modules. `npm start` runs the bundle: it starts faster and needs about
// 25 MB less memory than bin/qingdan.js, which compiles the TypeScript through tsx as it loads.
// The benchmark runs the same bundle.
//
// The bundle must sit one directory below the repository root (dist/, test-results/): the
// relay finds package.json and dist/client relative to its own file.
//
// As a command: `node bin/build-relay.js OUTFILE` (relative to the repository root).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Writes the bundle (and its source map) to `outfile`, relative to the repository root. */
export async function buildRelay(outfile) {
  await build({
    stdin: {
      contents:
        "import { main } from './server/cli.ts';\n" +
        'process.exitCode = await main(process.argv.slice(2));\n',
      resolveDir: ROOT,
      sourcefile: 'relay-main.ts',
      loader: 'ts',
    },
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    outfile,
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2];
  if (outfile === undefined) {
    process.stderr.write('usage: node bin/build-relay.js OUTFILE\n');
    process.exit(2);
  }
  await buildRelay(outfile);
}
