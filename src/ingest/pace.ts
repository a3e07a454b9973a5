// Loops over a poll's items (up to a thousand read per poll) run in slices that give the event
// loop back: a thousand database look-ups, URL parses or awaited enrichments in a row are one
// block of the loop (~150 ms on a busy machine), which gateway heartbeats and interaction
// acknowledgements would wait behind (issue #11).
import type { Db } from '../store/database.js';

const giveBack = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a stepwise computation to its end without pausing (benches, dry callers). */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs a stepwise computation in slices of at most ~`sliceMs`, each in one read transaction
 * (one snapshot, and much faster look-ups than one implicit transaction per statement),
 * giving the loop back between slices.
 */
export async function drainPaced<T>(db: Db, steps: Generator<void, T>, sliceMs: number): Promise<T> {
  const slice = db.transaction(() => {
    const start = performance.now();
    for (;;) {
      const r = steps.next();
      if (r.done || performance.now() - start >= sliceMs) return r;
    }
  });
  for (;;) {
    const r = slice();
    if (r.done) return r.value;
    await giveBack();
  }
}

/** Call between the steps of a loop with awaits in it: gives the loop back once a slice has held it `sliceMs`. */
export function pacer(sliceMs: number): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await giveBack();
    since = performance.now();
  };
}
