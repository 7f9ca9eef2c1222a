/**
 * Wires the relay together: store, rooms, HTTP. `qingdan serve` and the in-process tests
 * both start it through {@link startRelay}; nothing here reads `process.env` or argv.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRelayHttp, allowAll, type Authorize, type HttpRoutes } from './http.ts';
import { silentLogger, type Logger } from './log.ts';
import { RelayMetrics } from './metrics.ts';
import { DEFAULT_LIMITS, RoomRegistry, type RoomLimits } from './rooms.ts';
import { openStore, type SqliteStore } from './store.ts';

/** Options of {@link startRelay}. */
export interface RelayOptions {
  /** Interface to bind; default 127.0.0.1 (never all interfaces by default). */
  readonly host?: string;
  /** Port; 0 picks a free one (read it back from {@link Relay.port}). Default 8080. */
  readonly port?: number;
  /** Data dir holding the store. */
  readonly dataDir: string;
  /** The built client; default `dist/client` of this package. */
  readonly staticDir?: string;
  readonly durability?: 'normal' | 'full';
  /** Database size cap in bytes (SQLite max_page_count); unset = no cap. */
  readonly maxDbBytes?: number;
  /** Most concurrent WebSocket connections; more are refused with HTTP 503. */
  readonly maxConnections?: number;
  readonly limits?: Partial<RoomLimits>;
  readonly logger?: Logger;
  /** Access check at the upgrade; default {@link allowAll}. */
  readonly authorize?: Authorize;
  /** Extra HTTP routes, tried before static files (see {@link HttpRoutes}). */
  readonly routes?: HttpRoutes;
}

/** A running relay. */
export interface Relay {
  readonly host: string;
  readonly port: number;
  /** `http://host:port` (IPv6 hosts bracketed). */
  readonly url: string;
  readonly store: SqliteStore;
  readonly rooms: RoomRegistry;
  readonly metrics: RelayMetrics;
  /** Stops accepting, closes connections (1001), commits what is queued, closes the store. */
  close(): Promise<void>;
}

/** The package version, for /healthz. */
export function packageVersion(): string {
  const pkg: unknown = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  );
  const version = (pkg as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}

/** Starts a relay and resolves once it listens. */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const logger = options.logger ?? silentLogger();
  const limits: RoomLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const host = options.host ?? '127.0.0.1';
  const store = openStore(options.dataDir, {
    durability: options.durability ?? 'normal',
    backgroundCheckpoint: true,
    ...(options.maxDbBytes === undefined ? {} : { maxBytes: options.maxDbBytes }),
  });
  // The checkpoint thread holds its own descriptors; open them before serving anyone.
  await store.whenReady();
  const metrics = new RelayMetrics();
  const rooms = new RoomRegistry({ store, logger, metrics, limits });
  const { server, wss } = createRelayHttp({
    rooms,
    metrics,
    logger,
    authorize: options.authorize ?? allowAll,
    ...(options.routes === undefined ? {} : { routes: options.routes }),
    staticDir: options.staticDir ?? fileURLToPath(new URL('../dist/client', import.meta.url)),
    version: packageVersion(),
    maxMessageBytes: limits.maxMessageBytes,
    maxConnections: options.maxConnections ?? 10_000,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8080, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await rooms.close();
    await store.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url,
    store,
    rooms,
    metrics,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await rooms.close();
        wss.close();
        server.closeAllConnections();
        await closed;
        await store.close();
      })();
      return closing;
    },
  };
}
