// Pacing (issue #11): a long loop over a poll's items gives the event loop back between
// slices. Slices of 0 ms make every step its own slice, so no clock decides the outcome.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { drain, drainPaced, pacer } from '../../../src/ingest/pace.js';

const db = new Database(':memory:');

function* steps(log: string[], n: number): Generator<void, number> {
  for (let i = 0; i < n; i++) {
    log.push(`step ${i}${db.inTransaction ? ' (in a transaction)' : ''}`);
    yield;
  }
  return n;
}

describe('pacing', () => {
  it('drain runs every step at once', () => {
    const log: string[] = [];
    expect(drain(steps(log, 3))).toBe(3);
    expect(log).toHaveLength(3);
  });

  it('drainPaced gives the loop back between slices, each slice in a read transaction', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('other work'));
    expect(await drainPaced(db, steps(log, 3), 0)).toBe(3);
    expect(log).toEqual(['step 0 (in a transaction)', 'other work', 'step 1 (in a transaction)', 'step 2 (in a transaction)']);
    expect(db.inTransaction).toBe(false);
  });

  it('a slice that has not run its time keeps going without giving the loop back', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('other work'));
    await drainPaced(db, steps(log, 3), 1e9);
    log.push('done');
    expect(log).toEqual(['step 0 (in a transaction)', 'step 1 (in a transaction)', 'step 2 (in a transaction)', 'done']);
  });

  it('pacer yields to waiting work once its slice is spent', async () => {
    const log: string[] = [];
    const pace = pacer(0);
    setImmediate(() => log.push('other work'));
    log.push('a');
    await pace();
    log.push('b');
    expect(log).toEqual(['a', 'other work', 'b']);
  });
});
