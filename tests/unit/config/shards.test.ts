// SHARD_COUNT and SHARD_IDS: parsed into the plan the Discord client runs, refused with a
// reason naming the variable when they cannot work together.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { shardingOptions } from '../../../src/discord/shards.js';

const shards = (env: Record<string, string>) => loadConfig(env).discord.shards;

function refused(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('SHARD_COUNT / SHARD_IDS', () => {
  it('default to Discord’s recommendation, all shards in this process', () => {
    expect(shards({})).toEqual({ count: null, ids: null });
    expect(shards({ SHARD_COUNT: '', SHARD_IDS: ' ' })).toEqual({ count: null, ids: null });
    expect(shardingOptions(shards({}))).toEqual({ shards: 'auto' });
  });

  it('SHARD_COUNT alone runs every shard of that count here', () => {
    expect(shards({ SHARD_COUNT: '4' })).toEqual({ count: 4, ids: null });
    expect(shardingOptions(shards({ SHARD_COUNT: '4' }))).toEqual({ shards: [0, 1, 2, 3], shardCount: 4 });
  });

  it('SHARD_IDS takes ids and ranges, sorted and without repeats', () => {
    expect(shards({ SHARD_COUNT: '8', SHARD_IDS: '1' }).ids).toEqual([1]);
    expect(shards({ SHARD_COUNT: '8', SHARD_IDS: '0-3' }).ids).toEqual([0, 1, 2, 3]);
    expect(shards({ SHARD_COUNT: '8', SHARD_IDS: ' 6, 0 - 1 ,1,7 ' }).ids).toEqual([0, 1, 6, 7]);
    expect(shardingOptions(shards({ SHARD_COUNT: '8', SHARD_IDS: '4-5' }))).toEqual({ shards: [4, 5], shardCount: 8 });
  });

  it('refuses what is not a list of shard ids', () => {
    for (const bad of ['a', '1,,2', '-1', '3-1', '1.5', '0-', '0-99999999']) {
      const err = refused({ SHARD_COUNT: '4', SHARD_IDS: bad });
      expect(err.variables, bad).toEqual(['SHARD_IDS']);
      expect(err.message, bad).toMatch(/SHARD_IDS: must list shard ids and ranges such as 0,1 or 0-3/);
    }
  });

  it('refuses a SHARD_COUNT that is not a whole number of at least 1', () => {
    for (const bad of ['0', '-2', 'two', '1.5']) expect(refused({ SHARD_COUNT: bad }).variables, bad).toEqual(['SHARD_COUNT']);
  });

  it('refuses SHARD_IDS without SHARD_COUNT: processes must agree on the total', () => {
    const err = refused({ SHARD_IDS: '0' });
    expect(err.variables).toEqual(['SHARD_IDS']);
    expect(err.message).toMatch(/SHARD_IDS: needs SHARD_COUNT/);
  });

  it('refuses ids outside the count, naming them and the range', () => {
    const err = refused({ SHARD_COUNT: '2', SHARD_IDS: '1-3' });
    expect(err.variables).toEqual(['SHARD_IDS']);
    expect(err.message).toMatch(/SHARD_IDS: names shard 2, 3, but SHARD_COUNT=2 has shards 0–1/);
  });

  it('reports a shard problem together with the other bad variables', () => {
    expect(refused({ SHARD_COUNT: '2', SHARD_IDS: 'x', LOG_LEVEL: 'loud' }).variables.slice().sort()).toEqual(['LOG_LEVEL', 'SHARD_IDS']);
    expect(refused({ SHARD_IDS: '0', LOG_LEVEL: 'loud' }).message).toMatch(/LOG_LEVEL[\s\S]*SHARD_IDS: needs SHARD_COUNT/);
  });
});
