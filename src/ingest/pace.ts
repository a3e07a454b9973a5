// Loops over a poll's items (up to a thousand read per poll) run in slices that give the event
// loop back: a thousand store look-ups, URL parses or awaited enrichments in a row are one
// block of the loop (~150 ms on a busy machine), which gateway heartbeats and interaction
// acknowledgements would wait behind (issue #11). A settled promise does not give the loop
// back (its continuation runs before any timer or I/O), so awaiting the SQLite store's ports
// alone never yields: the pacer does, once a slice has held the loop long enough.
import type { Store, StorePorts } from '../store/ports.js';

const giveBack = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Call between the steps of a loop with awaits in it: gives the loop back once a slice has held
 * it `sliceMs`. Returns nothing while the slice lasts, so a hot loop pays no promise for it
 * (`const p = pace(); if (p) await p;`).
 */
export function pacer(sliceMs: number): () => Promise<void> | undefined {
  let since = performance.now();
  const restart = () => void (since = performance.now());
  return () => (performance.now() - since < sliceMs ? undefined : giveBack().then(restart));
}

/**
 * Runs `step(i, tx)` for i = 0 … n-1 in slices of about `sliceMs`, each slice one unit of work
 * (store look-ups only: never the network or a timer), giving the loop back between slices.
 * Why a unit of work for reads: on SQLite a look-up outside a transaction opens and closes its
 * own read transaction, which costs ten times the look-up (a 100k-item flood's story matches:
 * 2 s of main-thread CPU outside, 0.2 s inside). A step returning false stops the run; the
 * result says whether every step ran.
 */
export async function inSlices(store: Pick<Store, 'transaction'>, n: number, sliceMs: number, step: (i: number, tx: StorePorts) => Promise<boolean | void>): Promise<boolean> {
  let i = 0;
  while (i < n) {
    if (i > 0) await giveBack();
    const stopped = await store.transaction(async (tx) => {
      const start = performance.now();
      do {
        if ((await step(i++, tx)) === false) return true;
      } while (i < n && performance.now() - start < sliceMs);
      return false;
    });
    if (stopped) return false;
  }
  return true;
}
