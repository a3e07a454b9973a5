import { expect } from 'vitest';
import { FeedError } from '../../src/feeds/errors.js';

/** Awaits a promise that must reject with a FeedError, and returns it. */
export async function feedError(promise: Promise<unknown>): Promise<FeedError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(FeedError);
    return e as FeedError;
  }
  throw new Error('expected a FeedError');
}
