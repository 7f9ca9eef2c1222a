import { createServer, connect, type Server, type Socket } from 'node:net';
import { aliasRelay } from './relay.ts';

/** The proxy's URL, known to reach the relay on `targetPort` (for its invite token). */
function aliasedUrl(url: string, targetPort: number): string {
  aliasRelay(url, targetPort);
  return url;
}

/**
 * A loopback TCP proxy between the browser and the relay that can cut connections for
 * real. Playwright's `setOffline` does not close a WebSocket that is already open
 * (playwright#4910); `cut()` destroys every open connection and refuses new ones until
 * `restore()`.
 */
export interface CuttableProxy {
  /** `http://127.0.0.1:PORT` of the proxy: open the app here. */
  readonly url: string;
  readonly port: number;
  cut(): void;
  restore(): void;
  /** Points new connections at another target port (after a relay restart). */
  setTarget(port: number): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<CuttableProxy> {
  let target = targetPort;
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const cutAll = (): void => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  return {
    url: aliasedUrl(`http://127.0.0.1:${port}`, targetPort),
    port,
    cut() {
      open = false;
      cutAll();
    },
    restore() {
      open = true;
    },
    setTarget(p) {
      target = p;
    },
    close() {
      open = false;
      cutAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
