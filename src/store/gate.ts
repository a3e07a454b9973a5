// Units of work in one process run one after another, and a call through the store itself waits
// while one is open (see sqlite-store.ts for why). A call through the store from INSIDE a unit
// of work would wait for itself for ever; it is ended instead, with an error that says so, when
// it has waited longer than any real unit of work takes.
//
// Why a time limit and not a context check: AsyncLocalStorage would name the caller exactly,
// but once used it puts a hook on every promise of the process, which cost the ingest a fifth
// of its throughput (issue #16).

/** How long a call waits for open units of work before it is judged to be inside one. */
export const DEFAULT_REENTRY_WAIT_MS = 60_000;

export class StoreReentryError extends Error {
  constructor(waitedMs: number) {
    super(`a store call waited ${Math.round(waitedMs / 1000)} s for a unit of work to end: was the store called from inside its own unit of work? Use the ports of \`tx\` there`);
    this.name = 'StoreReentryError';
  }
}

export class Gate {
  private tail: Promise<void> = Promise.resolve();
  private open = 0;

  constructor(private readonly waitLimitMs = DEFAULT_REENTRY_WAIT_MS) {}

  get busy(): boolean {
    return this.open > 0;
  }

  /** Resolves when no unit of work is open or queued. */
  async idle(): Promise<void> {
    const started = performance.now();
    while (this.open > 0) await this.bounded(this.tail, started);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.open++;
    const before = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => (done = resolve));
    try {
      // Alone, nothing to wait for: no timer on the ingest's hot path.
      if (this.open > 1) await this.bounded(before, started);
      else await before;
      return await fn();
    } finally {
      this.open--;
      done();
    }
  }

  /** `p`, or a StoreReentryError once the wait since `started` passes the limit. */
  private bounded(p: Promise<void>, started: number): Promise<void> {
    const left = this.waitLimitMs - (performance.now() - started);
    if (left <= 0) return Promise.reject(new StoreReentryError(performance.now() - started));
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreReentryError(performance.now() - started)), left);
      timer.unref();
    });
    return Promise.race([p, limit]).finally(() => clearTimeout(timer));
  }
}
