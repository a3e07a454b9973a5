/** Runs fn n times after a warm-up; returns sorted durations in ms. */
export function timeMany(n: number, fn: (i: number) => void, warmup = Math.min(50, n)): number[] {
  for (let i = 0; i < warmup; i++) fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn(i);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

export const pct = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export function line(label: string, value: string, target: string): void {
  console.log(`  ${label.padEnd(58)} ${value.padStart(14)}   target ${target}`);
}

export const ms = (v: number): string => (v < 1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(2)} ms`);

/** Deterministic PRNG (mulberry32): the same seed gives the same corpus everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
