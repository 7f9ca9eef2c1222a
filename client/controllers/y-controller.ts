import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';

/** Structural bound: Y.Map<Y.Map<unknown>> is not assignable to Y.Map<unknown>. */
export type Observable = Pick<Y.AbstractType<unknown>, 'observeDeep' | 'unobserveDeep'>;
type DeepHandler = Parameters<Observable['observeDeep']>[0];

export interface YControllerOptions<T> {
  /** Skip re-reading for changes that cannot matter (text typed in a task, for the tree). */
  readonly relevant?: (events: readonly Y.YEvent<Y.AbstractType<unknown>>[]) => boolean;
  /** Snapshot equality: an equal snapshot does not re-render the host. */
  readonly equals?: (a: T, b: T) => boolean;
}

/**
 * Binds a host to a Yjs type (STYLE.md §3): observes it deeply while connected, keeps a
 * plain snapshot in `value`, and asks the host to update only when the snapshot changed.
 * The type is looked up lazily, because it may arrive after construction.
 */
export class YController<M extends Observable, T> implements ReactiveController {
  value: T;
  private _observed: M | undefined;

  private readonly _host: ReactiveControllerHost;
  private readonly _getType: () => M | null | undefined;
  private readonly _read: (type: M) => T;
  private readonly _opts: YControllerOptions<T>;

  constructor(
    host: ReactiveControllerHost,
    getType: () => M | null | undefined,
    read: (type: M) => T,
    initial: T,
    opts: YControllerOptions<T> = {},
  ) {
    this._host = host;
    this._getType = getType;
    this._read = read;
    this._opts = opts;
    this.value = initial;
    host.addController(this);
  }

  hostConnected(): void {
    this._sync();
  }

  hostUpdate(): void {
    this._sync();
  }

  hostDisconnected(): void {
    this._observed?.unobserveDeep(this._onChange);
    this._observed = undefined;
  }

  /** Re-reads now (after a property the read depends on changed). */
  refresh(): void {
    if (this._observed) this._set(this._read(this._observed));
  }

  private _sync(): void {
    const type = this._getType() ?? undefined;
    if (type === this._observed) return;
    this.hostDisconnected();
    this._observed = type;
    if (type) {
      type.observeDeep(this._onChange);
      // Catch up with what changed while detached (re-attach) or before the type arrived.
      this._set(this._read(type));
    }
  }

  private _set(next: T): void {
    if (this._opts.equals?.(this.value, next) === true) return;
    this.value = next;
    this._host.requestUpdate();
  }

  // Arrow field: a stable identity, so unobserveDeep removes exactly this listener.
  private readonly _onChange: DeepHandler = (events): void => {
    if (!this._observed) return;
    if (this._opts.relevant && !this._opts.relevant(events)) return;
    this._set(this._read(this._observed));
  };
}
