// Commands reach the store through its ports (issue #16). On SQLite one connection carries
// every unit of work, so a command's write issued while another stage holds a transaction
// open must wait for it: written inside, it would be rolled back with that stage's work.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../../commands/deps.js';
import { settings } from '../../../commands/settings.js';
import type { CommandInput } from '../../../commands/types.js';
import { loadRegionsFile } from '../../../src/app/services.js';
import { canonicalUrl } from '../../../src/feeds/url.js';
import { createSearchIndex } from '../../../src/store/sqlite-search/index-writer.js';
import { createSearch } from '../../../src/store/sqlite-search/query.js';
import { openDatabase } from '../../../src/store/database.js';
import type { Store } from '../../../src/store/ports.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import { createGazetteer } from '../../../src/text/gazetteer.js';

const GUILD = '1100000000000000001';
const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);

function depsOver(store: Store, db: ReturnType<typeof openDatabase>): CommandDeps {
  const gazetteer = createGazetteer(loadRegionsFile());
  return {
    subscriptions: store.subscriptions,
    settings: store.settings,
    articles: store.articles,
    feeds: store.feeds,
    outbox: store.outbox,
    search: { search: async (q) => createSearch(db, { now: () => NOW, knownRegion: (c) => gazetteer.get(c) !== undefined }).search(q) },
    searches: store.searches,
    decide: async () => [],
    gazetteer,
    channelAccess: async () => ({ postable: true, exists: true, missing: [] }),
    now: () => NOW,
    defaultTimeZone: 'Asia/Shanghai',
    canonicalUrl: (raw) => canonicalUrl(raw),
  };
}

const input = (subcommand: string, options: CommandInput['options']): CommandInput => ({
  interactionId: '1', name: 'settings', subcommand, options, userId: '1300000000000000001', guildId: GUILD, channelId: '1200000000000000001', locale: 'en-US', memberPermissions: 0x20n,
});

describe('commands on the store ports', () => {
  let store: Store;
  let deps: CommandDeps;
  beforeEach(() => {
    const db = openDatabase(':memory:');
    store = createSqliteStore(db, { index: createSearchIndex(db) });
    deps = depsOver(store, db);
  });
  afterEach(async () => store.close());

  it('a setting changed while another unit of work is open is kept when that one rolls back', async () => {
    let began!: () => void;
    let release!: () => void;
    const open = new Promise<void>((resolve) => (began = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    const other = store.transaction(async () => {
      began();
      await held;
      throw new Error('rolled back');
    });
    // The other unit of work has begun its transaction and waits between two statements.
    await open;
    const reply = settings.execute(input('script', { value: 'tw' }), deps);
    release();
    await expect(other).rejects.toThrow('rolled back');
    expect((await reply).ephemeral).toBe(true);
    expect((await store.settings.settings(GUILD)).script).toBe('tw');
  });

  it('reads back what it wrote through the same ports (/settings show)', async () => {
    await settings.execute(input('timezone', { zone: 'Asia/Taipei' }), deps);
    const shown = await settings.execute(input('show', {}), deps);
    expect(JSON.stringify(shown.embeds)).toContain('Asia/Taipei');
  });
});
