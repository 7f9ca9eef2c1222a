/**
 * One relay per data dir. Two relays serving one store would each relay only their own
 * clients' edits: the people on one would not see the other's until their plan unloaded,
 * and nothing would say so. (Other processes may use the store beside a relay: `qingdan
 * import`, `invite`, `tokens`.)
 *
 * The claim is a Linux abstract Unix socket named after the data dir's device and inode: it
 * writes nothing into the data dir, and the kernel frees it when the process ends, however it
 * ends (a `kill -9` included), so a restart is never refused by a stale claim. The socket
 * tells whoever connects which relay holds the dir. Abstract sockets are Linux's own: on other
 * systems there is no claim. Relays in separate network namespaces (containers) sharing a
 * volume do not see each other's claims.
 */
import { mkdirSync, statSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { DataDirError, asDataDirError } from './tokens.ts';

/** A held claim; release it when the relay stops. */
export interface DataDirClaim {
  release(): Promise<void>;
}

const NO_CLAIM: DataDirClaim = { release: () => Promise.resolve() };

/** How long to wait for the holder to say who it is. */
const ASK_HOLDER_MS = 1000;

/**
 * Claims `dataDir` (created if missing) for this relay, or throws a {@link DataDirError} naming
 * the relay that holds it. `holder` describes this relay to a later one that asks.
 */
export async function claimDataDir(dataDir: string, holder: () => string): Promise<DataDirClaim> {
  if (process.platform !== 'linux') return NO_CLAIM;
  let name: string;
  try {
    mkdirSync(dataDir, { recursive: true });
    const { dev, ino } = statSync(dataDir);
    name = `\0qingdan-relay-data-${dev}-${ino}`;
  } catch (error) {
    throw asDataDirError(dataDir, error);
  }
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(holder());
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path: name }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const other = await askHolder(name);
    throw new DataDirError(
      `the data dir ${dataDir} is already served by another relay (${other}). Two relays on ` +
        'one data dir would not show each other’s edits. Stop that one, or give this one ' +
        'another --data.',
    );
  }
  // The claim must not keep the process alive on its own.
  server.unref();
  return {
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What the holder of a claim says about itself, or that it did not say. */
function askHolder(name: string): Promise<string> {
  return new Promise<string>((resolve) => {
    let text = '';
    const socket = createConnection({ path: name });
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text.trim() === '' ? 'it did not say which' : text.trim().slice(0, 200));
    };
    const timer = setTimeout(done, ASK_HOLDER_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', done);
    socket.on('error', done);
  });
}
