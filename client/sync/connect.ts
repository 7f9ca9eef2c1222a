import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';

/** The relay's WebSocket base URL: the page's own host (the relay serves the client too). */
export function relayUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}`;
}

export interface ConnectOptions {
  readonly awareness?: Awareness;
  /** Query parameters for the WebSocket URL. */
  readonly params?: Record<string, string>;
  /** WebSocket subprotocols (the invite token travels as one: see sync/access.ts). */
  readonly protocols?: string[];
  readonly serverUrl?: string;
}

/**
 * The one place a connection to the relay is made: a stock y-websocket provider on
 * `ws(s)://HOST/<plan-id>`. Cross-tab BroadcastChannel sync stays on, so two tabs of one
 * plan see each other's edits even with the relay unreachable.
 */
export function connectPlan(
  doc: Y.Doc,
  planId: string,
  opts: ConnectOptions = {},
): WebsocketProvider {
  return new WebsocketProvider(opts.serverUrl ?? relayUrl(), planId, doc, {
    ...(opts.awareness ? { awareness: opts.awareness } : {}),
    params: { ...opts.params },
    ...(opts.protocols ? { protocols: opts.protocols } : {}),
    maxBackoffTime: 2500,
  });
}
