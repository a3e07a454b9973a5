// The 60-second soak (the long one is `npm run soak -- --minutes 10`): the real bot process,
// 50 feeds, 20 channels in 3 servers, faults at random, SIGKILL restarts; then the invariants.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../soak/run-soak.js';

describe('soak (60 s)', () => {
  it('keeps every invariant under faults and restarts', async () => {
    const r = await runSoak({ seconds: 60, log: (s) => console.log(s) });
    expect(r.stories).toBeGreaterThan(30);
    expect(r.restarts).toBeGreaterThanOrEqual(2);
    expect(r.lost).toBe(0);
    expect(r.duplicates).toBe(0);
    expect(r.afterPause).toBe(0);
    expect(r.unhandled).toBe(0);
    expect(r.tokenLeaks).toBe(0);
    expect(r.integrity).toBe('ok');
  }, 300_000);
});
