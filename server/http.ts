/**
 * The relay's one port: the built client (static files with an SPA fallback), `/healthz`,
 * `/metrics`, and WebSocket upgrades at `/<plan-id>`.
 *
 * An upgrade is checked in this order, all before any WebSocket exists: the plan id on the
 * raw request path (400), the connection cap (503), then `authorize` (401/403 or a
 * read-only flag). Only then does `ws` complete the handshake (y-websocket-server's advice:
 * call handleUpgrade after the access check). Close codes are for sockets already open.
 */
import { createReadStream, statSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from './log.ts';
import { errorFields } from './log.ts';
import type { RelayMetrics } from './metrics.ts';
import { senderKey } from './refusals.ts';
import type { ConnectionContext, RoomRegistry } from './rooms.ts';
import { APP_SUBPROTOCOL } from '../shared/invites.ts';
import type { Socket } from './protocol.ts';

/** What `authorize` decides about one upgrade request. */
export type AuthorizeResult =
  | {
      readonly ok: true;
      /** Sync and awareness only: an edit closes the connection with 4403. */
      readonly readOnly: boolean;
      /** Claims to keep with the connection (logged; never put a token here). */
      readonly principal?: Readonly<Record<string, string | number | boolean>>;
    }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/**
 * The access check run at every upgrade, before the WebSocket handshake. It gets the raw
 * request (headers, `request.url` with its query string, where issue 7's `token` will be)
 * and the already validated plan id.
 */
export type Authorize = (
  request: IncomingMessage,
  planId: string,
) => AuthorizeResult | Promise<AuthorizeResult>;

/** The default until issue 7: everyone may read and write every plan. */
export const allowAll: Authorize = () => ({ ok: true, readOnly: false });

/** A plan id: what the URL path may name. */
export const PLAN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The plan id of an upgrade request, read from the raw request target (`/<id>` with an
 * optional query string), or null. Nothing is decoded or normalised: `/../x` and
 * `/%2e%2e%2fx` are refused, never read as `x`.
 */
export function planIdFromUrl(rawUrl: string | undefined): string | null {
  if (rawUrl === undefined || !rawUrl.startsWith('/')) return null;
  const query = rawUrl.indexOf('?');
  const id = (query === -1 ? rawUrl : rawUrl.slice(0, query)).slice(1);
  return PLAN_ID_PATTERN.test(id) ? id : null;
}

/**
 * Extra HTTP routes (e.g. issue 7's invite API): called for every request that is not
 * /healthz or /metrics, before static files; returns true when it answered the request.
 */
export type HttpRoutes = (
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
) => boolean | Promise<boolean>;

/** Dependencies of the HTTP server. */
export interface HttpDeps {
  readonly routes?: HttpRoutes;
  readonly rooms: RoomRegistry;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly authorize: Authorize;
  /** The built client (dist/client). It may be missing: the relay serves anyway. */
  readonly staticDir: string;
  readonly version: string;
  readonly maxMessageBytes: number;
  readonly maxConnections: number;
}

/** The HTTP server and its WebSocket endpoint. */
export interface RelayHttp {
  readonly server: http.Server;
  readonly wss: WebSocketServer;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Vite puts content-hashed files under /assets/: they never change, cache them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, the service worker, the manifest) must be revalidated. */
const REVALIDATE = 'no-cache';

function isFile(path: string): number | null {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  pathname: string,
): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    sendText(res, 400, 'bad path\n');
    return;
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const full = join(root, relative);
  if (decoded.includes('\0') || (full !== root && !full.startsWith(root + sep))) {
    sendText(res, 400, 'bad path\n');
    return;
  }
  let file = full;
  let size = relative === '' ? null : isFile(full);
  if (size === null) {
    // SPA fallback: /, /plan/<id>, /plan/<id>/print … are routes of the client, not files.
    if (extname(decoded) !== '' && !decoded.startsWith('/plan/')) {
      sendText(res, 404, 'not found\n');
      return;
    }
    file = join(root, 'index.html');
    size = isFile(file);
    if (size === null) {
      sendText(
        res,
        503,
        '<!doctype html><meta charset="utf-8"><title>qingdan</title><p>The qingdan relay is running, but the client is not built yet: run <code>npm start</code> (or <code>npx vite build</code>).</p>\n',
        'text/html; charset=utf-8',
      );
      return;
    }
  }
  const immutable = file.startsWith(join(root, 'assets') + sep);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': immutable ? IMMUTABLE : REVALIDATE,
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

function refuseUpgrade(
  socket: Duplex,
  status: number,
  reason: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (socket.destroyed) return;
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`,
  );
}

/**
 * Adapts a `ws` socket to the relay's {@link Socket}. A class rather than an object literal
 * with a getter per socket: every connection then has one shape, and the per-send calls stay
 * monomorphic (the literal's getter showed up in a profile of relaying to 50 clients).
 */
class WsSocket implements Socket {
  private readonly _ws: WebSocket;

  constructor(ws: WebSocket) {
    this._ws = ws;
  }

  send(data: Uint8Array): void {
    this._ws.send(data);
  }

  close(code: number, reason: string): void {
    this._ws.close(code, reason);
  }

  terminate(): void {
    this._ws.terminate();
  }

  ping(): void {
    this._ws.ping();
  }

  get bufferedAmount(): number {
    return this._ws.bufferedAmount;
  }
}

/** Creates (does not start) the relay's HTTP server. */
export function createRelayHttp(deps: HttpDeps): RelayHttp {
  const { rooms, metrics, logger } = deps;
  const startedAt = performance.now();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: deps.maxMessageBytes,
    // Only qingdan's own subprotocol, never the one that carries a token (shared/invites.ts).
    handleProtocols: (offered: Set<string>) =>
      offered.has(APP_SUBPROTOCOL) ? APP_SUBPROTOCOL : false,
    // Yjs updates are already compact; deflate would cost CPU and memory per connection.
    perMessageDeflate: false,
    clientTracking: false,
  });

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    if (pathname === '/healthz') {
      sendText(
        res,
        200,
        JSON.stringify({
          ok: true,
          version: deps.version,
          uptime: Math.round((performance.now() - startedAt) / 1000),
          plans: rooms.loadedPlans,
          connections: rooms.connectionCount,
          awareness: rooms.awarenessEntries,
          compacting: rooms.compacting,
          memory: { rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed },
        }),
        'application/json; charset=utf-8',
      );
      return;
    }
    if (pathname === '/metrics') {
      sendText(
        res,
        200,
        metrics.render({
          connections: rooms.connectionCount,
          plansLoaded: rooms.loadedPlans,
          awarenessEntries: rooms.awarenessEntries,
        }),
        'text/plain; version=0.0.4; charset=utf-8',
      );
      return;
    }
    const rest = (): void => {
      if (res.headersSent || res.writableEnded) return;
      // No route took it: an API path the relay does not have is a JSON 404, not the app's
      // index.html (which the SPA fallback would serve with 200).
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        sendText(
          res,
          404,
          JSON.stringify({ error: 'no such API' }),
          'application/json; charset=utf-8',
        );
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        sendText(res, 405, 'method not allowed\n');
        return;
      }
      serveStatic(req, res, deps.staticDir, pathname);
    };
    if (deps.routes === undefined) {
      rest();
      return;
    }
    let handled: boolean | Promise<boolean>;
    try {
      handled = deps.routes(req, res, pathname);
    } catch (error) {
      handled = Promise.reject(error);
    }
    Promise.resolve(handled).then(
      (done) => {
        if (!done) rest();
      },
      (error: unknown) => {
        logger.error({ event: 'route_failed', ...errorFields(error) }, 'HTTP route failed');
        if (!res.headersSent) sendText(res, 500, 'internal error\n');
        else res.destroy();
      },
    );
  };

  const accept = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    ctx: ConnectionContext,
  ): void => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = rooms.connect(new WsSocket(ws), ctx);
      ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
        conn.receive(
          Array.isArray(data)
            ? Buffer.concat(data)
            : data instanceof ArrayBuffer
              ? new Uint8Array(data)
              : data,
        );
      });
      ws.on('pong', () => conn.pong());
      ws.on('close', (code) => conn.socketClosed(code));
      ws.on('error', (error: Error & { code?: string }) => {
        // `ws` closes the socket itself after a protocol error (1009 for an oversized frame,
        // 1002/1007 for bad framing); count and log it.
        metrics.error(error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'oversize' : 'socket');
        logger.warn(
          { event: 'socket_error', conn: conn.id, plan: ctx.planId, ...errorFields(error) },
          'socket error',
        );
      });
    });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Until ws owns the socket, a reset must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const planId = planIdFromUrl(req.url);
    if (planId === null) {
      metrics.error('upgrade_refused');
      logger.warn({ event: 'upgrade_refused', status: 400 }, 'bad plan id');
      refuseUpgrade(socket, 400, 'bad plan id');
      return;
    }
    if (rooms.connectionCount >= deps.maxConnections) {
      metrics.error('upgrade_refused');
      refuseUpgrade(socket, 503, 'too many connections');
      return;
    }
    let decision: AuthorizeResult | Promise<AuthorizeResult>;
    try {
      decision = deps.authorize(req, planId);
    } catch (error) {
      logger.error(
        { event: 'authorize_failed', plan: planId, ...errorFields(error) },
        'authorize threw',
      );
      refuseUpgrade(socket, 500, 'internal error');
      return;
    }
    const decide = (result: AuthorizeResult): void => {
      if (socket.destroyed) return;
      if (!result.ok) {
        metrics.error('upgrade_refused');
        logger.info(
          { event: 'upgrade_refused', plan: planId, status: result.status, reason: result.reason },
          'upgrade refused',
        );
        refuseUpgrade(socket, result.status, result.reason);
        return;
      }
      const jti = result.principal?.jti;
      const sender = senderKey(
        planId,
        jti === undefined ? undefined : String(jti),
        req.socket.remoteAddress ?? '',
      );
      const wait = rooms.refusals.blockedFor(sender);
      if (wait > 0) {
        metrics.error('upgrade_refused');
        logger.info(
          { event: 'upgrade_refused', plan: planId, status: 429, principal: result.principal },
          "upgrade refused: this sender's data was refused again and again",
        );
        refuseUpgrade(socket, 429, 'data refused again and again: try again later', {
          'Retry-After': String(Math.ceil(wait / 1000)),
        });
        return;
      }
      const ctx: ConnectionContext =
        result.principal === undefined
          ? { planId, readOnly: result.readOnly, sender }
          : { planId, readOnly: result.readOnly, principal: result.principal, sender };
      accept(req, socket, head, ctx);
    };
    if (decision instanceof Promise) {
      decision.then(decide, (error: unknown) => {
        logger.error(
          { event: 'authorize_failed', plan: planId, ...errorFields(error) },
          'authorize failed',
        );
        refuseUpgrade(socket, 500, 'internal error');
      });
    } else {
      decide(decision);
    }
  };

  const server = http.createServer(onRequest);
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_error, socket) => {
    if (!socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return { server, wss };
}
