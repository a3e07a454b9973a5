// Pacing (issue #11): a long loop over a poll's items gives the event loop back between
// slices. Slices of 0 ms make every step its own slice, so no clock decides the outcome.
import { describe, expect, it } from 'vitest';
import { pacer } from '../../../src/ingest/pace.js';

describe('pacing', () => {
  it('pacer yields to waiting work once its slice is spent', async () => {
    const log: string[] = [];
    const pace = pacer(0);
    setImmediate(() => log.push('other work'));
    log.push('a');
    await pace();
    log.push('b');
    expect(log).toEqual(['a', 'other work', 'b']);
  });

  it('a slice that has not run its time keeps going without giving the loop back (and costs no promise)', async () => {
    const log: string[] = [];
    const pace = pacer(1e9);
    setImmediate(() => log.push('other work'));
    for (let i = 0; i < 3; i++) {
      log.push(`step ${i}`);
      expect(pace()).toBeUndefined();
    }
    log.push('done');
    expect(log).toEqual(['step 0', 'step 1', 'step 2', 'done']);
  });

  it('awaiting settled store calls alone never gives the loop back: the pacer must', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('other work'));
    for (let i = 0; i < 3; i++) log.push(`step ${await Promise.resolve(i)}`);
    log.push('done');
    expect(log).toEqual(['step 0', 'step 1', 'step 2', 'done']);
  });
});
