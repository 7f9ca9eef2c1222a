/**
 * Relay metrics in the Prometheus text format. Hand-written on purpose: a handful of counters,
 * gauges and one histogram do not justify a dependency. One instance per relay (no module
 * state), passed to whoever counts.
 */
import { readdirSync } from 'node:fs';

/** Kinds of errors counted in `qingdan_errors_total{kind}`. */
export type ErrorKind =
  | 'bad_frame'
  | 'oversize'
  | 'rate_limited'
  | 'awareness_limit'
  | 'slow_consumer'
  | 'store_write'
  | 'store_read'
  | 'apply_update'
  | 'compaction'
  | 'read_only_write'
  | 'socket'
  | 'upgrade_refused';

/** Upper bounds (seconds) of the persistence write latency histogram. */
const WRITE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Values that are read at scrape time rather than counted. */
export interface MetricsGauges {
  readonly connections: number;
  readonly plansLoaded: number;
  readonly awarenessEntries: number;
}

/** Counters and the write-latency histogram of one relay. */
export class RelayMetrics {
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  connectionsOpened = 0;
  updatesCommitted = 0;
  compactions = 0;
  private readonly _errors = new Map<ErrorKind, number>();
  private readonly _writeBuckets = WRITE_BUCKETS.map(() => 0);
  private _writeCount = 0;
  private _writeSum = 0;

  /** Counts one error of the given kind. */
  error(kind: ErrorKind): void {
    this._errors.set(kind, (this._errors.get(kind) ?? 0) + 1);
  }

  /** How many errors of a kind were counted (tests and /healthz read it). */
  errors(kind: ErrorKind): number {
    return this._errors.get(kind) ?? 0;
  }

  /** Records one store transaction that took `seconds`. */
  observeWrite(seconds: number): void {
    this._writeCount += 1;
    this._writeSum += seconds;
    for (let i = 0; i < WRITE_BUCKETS.length; i++) {
      if (seconds <= (WRITE_BUCKETS[i] ?? Infinity))
        this._writeBuckets[i] = (this._writeBuckets[i] ?? 0) + 1;
    }
  }

  /** The Prometheus text exposition. */
  render(gauges: MetricsGauges): string {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: string[]): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    metric('qingdan_connections', 'gauge', 'Open WebSocket connections.', [
      `qingdan_connections ${gauges.connections}`,
    ]);
    metric('qingdan_plans_loaded', 'gauge', 'Plans held in memory.', [
      `qingdan_plans_loaded ${gauges.plansLoaded}`,
    ]);
    metric('qingdan_awareness_entries', 'gauge', 'Awareness entries held for loaded plans.', [
      `qingdan_awareness_entries ${gauges.awarenessEntries}`,
    ]);
    metric('qingdan_connections_opened_total', 'counter', 'WebSocket connections accepted.', [
      `qingdan_connections_opened_total ${this.connectionsOpened}`,
    ]);
    metric('qingdan_messages_in_total', 'counter', 'WebSocket messages received.', [
      `qingdan_messages_in_total ${this.messagesIn}`,
    ]);
    metric('qingdan_messages_out_total', 'counter', 'WebSocket messages sent.', [
      `qingdan_messages_out_total ${this.messagesOut}`,
    ]);
    metric('qingdan_bytes_in_total', 'counter', 'WebSocket payload bytes received.', [
      `qingdan_bytes_in_total ${this.bytesIn}`,
    ]);
    metric('qingdan_bytes_out_total', 'counter', 'WebSocket payload bytes sent.', [
      `qingdan_bytes_out_total ${this.bytesOut}`,
    ]);
    metric('qingdan_updates_committed_total', 'counter', 'Document updates committed.', [
      `qingdan_updates_committed_total ${this.updatesCommitted}`,
    ]);
    metric('qingdan_compactions_total', 'counter', 'Update logs compacted.', [
      `qingdan_compactions_total ${this.compactions}`,
    ]);
    // observeWrite counts each write in every bucket it fits: the counts are cumulative.
    const buckets = WRITE_BUCKETS.map(
      (bound, i) =>
        `qingdan_persist_write_seconds_bucket{le="${bound}"} ${this._writeBuckets[i] ?? 0}`,
    );
    metric(
      'qingdan_persist_write_seconds',
      'histogram',
      'Duration of one store transaction (a group commit).',
      [
        ...buckets,
        `qingdan_persist_write_seconds_bucket{le="+Inf"} ${this._writeCount}`,
        `qingdan_persist_write_seconds_sum ${this._writeSum}`,
        `qingdan_persist_write_seconds_count ${this._writeCount}`,
      ],
    );
    metric(
      'qingdan_errors_total',
      'counter',
      'Errors by kind.',
      [...this._errors].map(([kind, n]) => `qingdan_errors_total{kind="${kind}"} ${n}`),
    );
    metric('process_resident_memory_bytes', 'gauge', 'Resident set size.', [
      `process_resident_memory_bytes ${memory.rss}`,
    ]);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', [
      `nodejs_heap_used_bytes ${memory.heapUsed}`,
    ]);
    metric('process_cpu_seconds_total', 'counter', 'User and system CPU time.', [
      `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    ]);
    metric('process_open_fds', 'gauge', 'Open file descriptors.', [
      `process_open_fds ${openFds()}`,
    ]);
    return `${lines.join('\n')}\n`;
  }
}

function openFds(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}
