import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Anything with add/removeEventListener-style or on/off-style subscription. */
export type Subscribe = (fn: () => void) => () => void;

/**
 * Re-reads a value whenever a source signals a change (session events, awareness), while
 * the host is connected. `equals` keeps the host from re-rendering for equal values.
 */
export class EventController<T> implements ReactiveController {
  value: T;
  private _unsubscribe: (() => void) | undefined;
  private _subscribedTo: unknown;

  private readonly _host: ReactiveControllerHost;
  private readonly _source: () => { key: unknown; subscribe: Subscribe } | null | undefined;
  private readonly _read: () => T;
  private readonly _equals: (a: T, b: T) => boolean;

  constructor(
    host: ReactiveControllerHost,
    source: () => { key: unknown; subscribe: Subscribe } | null | undefined,
    read: () => T,
    initial: T,
    equals: (a: T, b: T) => boolean = Object.is,
  ) {
    this._host = host;
    this._source = source;
    this._read = read;
    this._equals = equals;
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
    this._unsubscribe?.();
    this._unsubscribe = undefined;
    this._subscribedTo = undefined;
  }

  private _sync(): void {
    const src = this._source();
    if (src?.key === this._subscribedTo) return;
    this.hostDisconnected();
    if (!src) return;
    this._subscribedTo = src.key;
    this._unsubscribe = src.subscribe(this._onChange);
    this._onChange();
  }

  private readonly _onChange = (): void => {
    const next = this._read();
    if (this._equals(this.value, next)) return;
    this.value = next;
    this._host.requestUpdate();
  };
}

/** Subscribes to named events of an EventTarget. */
export function onEvents(target: EventTarget, ...names: string[]): Subscribe {
  return (fn) => {
    for (const n of names) target.addEventListener(n, fn);
    return () => {
      for (const n of names) target.removeEventListener(n, fn);
    };
  };
}
