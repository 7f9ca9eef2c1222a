/**
 * The `qingdan` command line. Each verb returns an exit code; nothing here calls
 * process.exit, so the relay can shut down cleanly.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [verb] = argv;
  if (verb === 'serve') {
    process.stdout.write('qingdan: the relay is not built yet (see the open issues).\n');
    return 0;
  }
  process.stderr.write(`usage: qingdan serve [--host H] [--port P] [--data DIR]\n`);
  return verb === undefined || verb === 'help' || verb === '--help' ? 0 : 2;
}
