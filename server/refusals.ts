/**
 * Back-off for senders whose data the relay refuses at a cost. An update refused after
 * applying it (Yjs threw half-way, or the update check found items that contradict their
 * neighbours) closes the connection (1007) and rebuilds the plan's doc from the store on the
 * relay's thread, ~75 ms for a 10,000-task plan; a large frame that fails to decode, or an
 * edit of a viewer's (4403), is decoded in full first (~0.5 s for 8 MiB). The per-connection
 * rate limit does not bound that, since a sender that reconnects has a fresh connection: one
 * that sent such data again and again kept the relay busy, and every plan's edits waited.
 *
 * So after {@link REFUSALS_BEFORE_BLOCK} refusals within `windowMs`, the sender's upgrades
 * to that plan are refused (HTTP 429) for `blockMs`, doubled for each further block, up to
 * `maxBlockMs`; a sender quiet for twice that long starts again at `blockMs`. qingdan's own
 * client stops by itself after the same number of refusals (client/sync/access.ts); a stock
 * client retries and gets the 429, which costs the relay nothing. A sender is a plan, a token
 * and an address together: another device with the same invite link elsewhere, or another
 * token at the same address, is not held back; connections already open stay open.
 */

export const REFUSALS_BEFORE_BLOCK = 3;

/** Senders remembered at most; past it, the one refused longest ago is forgotten. */
export const MAX_SENDERS = 10_000;

export interface RefusalBackoffOptions {
  /** Refusals count toward a block within this long of each other. */
  readonly windowMs: number;
  /** The first block; 0 turns the back-off off. */
  readonly blockMs: number;
  /** The longest block. */
  readonly maxBlockMs: number;
  /** Milliseconds on a monotonic clock (tests move it). */
  readonly now?: () => number;
}

interface Sender {
  /** Refusals within the window, not yet counted into a block. */
  recent: number[];
  /** Blocks since the sender was last quiet (for twice the longest block). */
  blocks: number;
  blockedUntil: number;
  lastRefusal: number;
}

/**
 * The key of a sender (see the module comment). An IPv6 address counts by its /64, which one
 * host commonly holds whole (it could otherwise take a fresh address for every attempt); an
 * IPv4 address written as IPv6 (`::ffff:a.b.c.d`) counts as itself.
 */
export function senderKey(planId: string, tokenId: string | undefined, address: string): string {
  return `${planId}\n${tokenId ?? ''}\n${addressKey(address)}`;
}

function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class RefusalBackoff {
  private readonly _senders = new Map<string, Sender>();
  private readonly _options: RefusalBackoffOptions;
  private readonly _now: () => number;
  private _lastSweep = -Infinity;

  constructor(options: RefusalBackoffOptions) {
    this._options = options;
    this._now = options.now ?? (() => performance.now());
  }

  /** Records a refused update of `key`'s; true when it starts a block. */
  refused(key: string): boolean {
    const { windowMs, blockMs, maxBlockMs } = this._options;
    if (blockMs <= 0) return false;
    const now = this._now();
    const sender = this._senders.get(key) ?? {
      recent: [],
      blocks: 0,
      blockedUntil: 0,
      lastRefusal: -Infinity,
    };
    if (now - sender.lastRefusal > 2 * maxBlockMs) sender.blocks = 0;
    sender.lastRefusal = now;
    sender.recent = sender.recent.filter((t) => now - t < windowMs);
    sender.recent.push(now);
    let blocked = false;
    if (sender.recent.length >= REFUSALS_BEFORE_BLOCK) {
      sender.blockedUntil = now + Math.min(blockMs * 2 ** sender.blocks, maxBlockMs);
      sender.blocks += 1;
      sender.recent = [];
      blocked = true;
    }
    // Most recently refused last, so the first entry is the one to forget.
    this._senders.delete(key);
    this._senders.set(key, sender);
    if (this._senders.size > MAX_SENDERS) {
      const oldest = this._senders.keys().next();
      if (oldest.done !== true) this._senders.delete(oldest.value);
    }
    // Forget the senders that have long been quiet, at most once a window.
    if (now - this._lastSweep > this._options.windowMs) this._sweep(now);
    return blocked;
  }

  /** Milliseconds `key` is still held back for; 0 when it may connect. */
  blockedFor(key: string): number {
    const sender = this._senders.get(key);
    if (sender === undefined) return 0;
    return Math.max(0, sender.blockedUntil - this._now());
  }

  /** Senders remembered (for tests: the map stays bounded). */
  get size(): number {
    return this._senders.size;
  }

  private _sweep(now: number): void {
    this._lastSweep = now;
    const { windowMs, maxBlockMs } = this._options;
    for (const [key, sender] of this._senders) {
      // In order of their last refusal: the rest are more recent.
      if (now - sender.lastRefusal <= Math.max(windowMs, 2 * maxBlockMs)) break;
      if (sender.blockedUntil <= now) this._senders.delete(key);
    }
  }
}
