/**
 * Wires the relay together: store, rooms, HTTP. `qingdan serve` and the in-process tests
 * both start it through {@link startRelay}; nothing here reads `process.env` or argv.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { openAccess, allowedOriginsFor } from './access.ts';
import { createApi } from './api.ts';
import { senderKey } from './refusals.ts';
import { createRelayHttp, type Authorize, type HttpRoutes } from './http.ts';
import { claimDataDir } from './claim.ts';
import { asDataDirError, type TokenRegistry } from './tokens.ts';
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
  /**
   * Access check at the upgrade. Default: invite tokens (issue 7) — the data dir's token
   * registry, the Origin check, the `/api/` routes, and revoked tokens' connections closed.
   * A custom hook replaces all of that (tests of the hook itself).
   */
  readonly authorize?: Authorize;
  /** The URL people open (`--public-url`): the allowed Origin and the base of invite links. */
  readonly publicUrl?: string;
  /** More Origins a browser may connect from (`--allow-origin`; `scheme://host:*`: any port). */
  readonly allowOrigins?: readonly string[];
  /** Milliseconds since the epoch, for token expiry (tests move it). */
  readonly now?: () => number;
  /** Extra HTTP routes, tried before static files (see {@link HttpRoutes}); after `/api/`. */
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
  /** The data dir's invite tokens; null when a custom `authorize` replaced token access. */
  readonly tokens: TokenRegistry | null;
  /** The public URL given, else {@link url}: the base of invite links. */
  readonly publicUrl: string;
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

/** Resolves when `port` on `host` can be listened on (it is then let go); rejects as listen would. */
function canListen(port: number, host: string): Promise<void> {
  const probe = createServer();
  return new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Starts a relay and resolves once it listens. */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const logger = options.logger ?? silentLogger();
  // Refuse a bad public URL before anything is opened.
  if (options.publicUrl !== undefined) new URL(options.publicUrl);
  const limits: RoomLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const host = options.host ?? '127.0.0.1';
  // A port in use, or a host that is not this machine's: refused before the data dir is touched.
  await canListen(options.port ?? 8080, host);
  // Then a data dir another relay serves (see claim.ts).
  let servedAt = 'still starting';
  const claim = await claimDataDir(options.dataDir, () => `pid ${process.pid}, ${servedAt}`);
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore(options.dataDir, {
      durability: options.durability ?? 'normal',
      backgroundCheckpoint: true,
      ...(options.maxDbBytes === undefined ? {} : { maxBytes: options.maxDbBytes }),
    });
  } catch (error) {
    await claim.release();
    throw asDataDirError(options.dataDir, error);
  }
  // The checkpoint thread holds its own descriptors; open them before serving anyone.
  await store.whenReady();
  const metrics = new RelayMetrics();
  const rooms = new RoomRegistry({ store, logger, metrics, limits });
  const now = options.now ?? Date.now;
  let access: ReturnType<typeof openAccess> | null = null;
  try {
    if (options.authorize === undefined)
      access = openAccess({ dataDir: options.dataDir, logger, now });
  } catch (error) {
    // An unreadable secret or registry: close what is open, then say why.
    await rooms.close();
    await store.close();
    await claim.release();
    throw error;
  }
  let publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';
  // The invite API (/api/) first, then any routes given.
  const api =
    access === null
      ? null
      : createApi({
          registry: access.registry,
          allowedOrigins: access.allowedOrigins,
          now,
          store,
          logger,
          publicUrl: () => publicUrl,
          heldBack: (planId, tokenId, address) =>
            rooms.refusals.blockedFor(senderKey(planId, tokenId, address)),
        });
  const extra = options.routes;
  const routes: HttpRoutes | undefined =
    api === null
      ? extra
      : (req, res, pathname) => api(req, res) || (extra?.(req, res, pathname) ?? false);
  const { server, wss } = createRelayHttp({
    rooms,
    metrics,
    logger,
    authorize: options.authorize ?? (access as NonNullable<typeof access>).authorize,
    ...(routes === undefined ? {} : { routes }),
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
    access?.close();
    await rooms.close();
    await store.close();
    await claim.release();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  servedAt = url;
  if (publicUrl === '') publicUrl = url;
  if (access !== null) {
    access.allowedOrigins.push(
      ...allowedOriginsFor(options.publicUrl, host, port),
      ...(options.allowOrigins ?? []),
    );
    access.watch(rooms);
  }
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url,
    store,
    rooms,
    metrics,
    tokens: access?.registry ?? null,
    publicUrl,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await rooms.close();
        wss.close();
        server.closeAllConnections();
        await closed;
        access?.close();
        await store.close();
        await claim.release();
      })();
      return closing;
    },
  };
}
