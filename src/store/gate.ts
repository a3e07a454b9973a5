// Units of work in one process run one after another, and a call through the store itself waits
// while one is open (see sqlite-store.ts for why). A call through the store from INSIDE a unit
// of work would wait for itself forever, so it is refused at once instead: inside, use `tx`.
import { AsyncLocalStorage } from 'node:async_hooks';

export class StoreReentryError extends Error {
  constructor() {
    super('the store was called from inside its own unit of work; use the ports of `tx` there');
    this.name = 'StoreReentryError';
  }
}

export class Gate {
  private tail: Promise<void> = Promise.resolve();
  private open = 0;
  private readonly inside = new AsyncLocalStorage<Gate>();

  get busy(): boolean {
    return this.open > 0;
  }

  /** Resolves when no unit of work is open or queued; rejects when called from inside one. */
  async idle(): Promise<void> {
    if (this.inside.getStore() === this) throw new StoreReentryError();
    while (this.open > 0) await this.tail;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside.getStore() === this) throw new StoreReentryError();
    this.open++;
    const before = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => (done = resolve));
    try {
      await before;
      return await this.inside.run(this, fn);
    } finally {
      this.open--;
      done();
    }
  }
}
