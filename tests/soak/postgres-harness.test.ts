// The multi-process soak's harness, checked without running the soak: the fleet kills and
// restarts its processes and notes those that exit on their own (small stand-in processes);
// on Postgres (TEST_DATABASE_URL) the reader sees which copies of a story are stored, and the
// integrity checks find each kind of breakage planted for them.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import type { BotRole } from '../helpers/bot-process.js';
import { TEST_DATABASE_URL } from '../helpers/postgres.js';
import { checkIntegrity, integrityHolds, prepareDatabase, soakDatabase, soakReader, type SoakDatabase } from './postgres-db.js';
import { startFleet } from './postgres-fleet.js';
import { buildGuilds, buildSubscriptions, type SoakFeed, type Story } from './world.js';

/** A stand-in for a bot process: prints its role and runs until killed; a `poller` given CRASH exits at once. */
const standIn = (env: NodeJS.ProcessEnv, role?: BotRole) => {
  const log: string[] = [];
  const code = env.CRASH === role ? 'console.log("crashing"); process.exit(3)' : 'console.log("up", process.argv[1]); setInterval(() => {}, 1000)';
  const proc = spawn(process.execPath, ['-e', code, role ?? 'all'], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d: Buffer) => log.push(d.toString()));
  return { proc, log };
};

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
};

describe('soak fleet', () => {
  it('kills and restarts a process, counts kills per role, and stops all on SIGTERM', async () => {
    const fleet = startFleet({}, [['gateway', 1], ['deliverer', 2]], { start: standIn });
    expect(fleet.members.map((m) => m.name)).toEqual(['gateway', 'deliverer 1', 'deliverer 2']);
    const d2 = fleet.members[2]!;
    await until(() => d2.log.join('').includes('up deliverer'));
    const before = d2.proc.pid;
    await fleet.kill(d2);
    expect(d2.proc.pid).not.toBe(before);
    expect(d2.starts).toBe(2);
    await until(() => d2.log.join('').includes('up deliverer'));
    expect(fleet.kills()).toEqual({ gateway: 0, deliverer: 1 });
    expect(fleet.unexpectedExits).toEqual([]);
    expect(await fleet.stop(10_000)).toEqual([]);
    expect(fleet.members.every((m) => m.proc.signalCode === 'SIGTERM')).toBe(true);
    expect(fleet.output()).toContain('up gateway');
  });

  it('notes a process that exits on its own, with its output, and starts it again', async () => {
    const fleet = startFleet({ CRASH: 'poller' }, [['poller', 1]], { start: standIn, restartAfterCrashMs: 10 });
    await until(() => fleet.members[0]!.starts >= 2);
    await fleet.stop(10_000);
    expect(fleet.unexpectedExits.length).toBeGreaterThanOrEqual(1);
    expect(fleet.unexpectedExits[0]).toMatchObject({ name: 'poller', code: 3 });
    expect(fleet.unexpectedExits[0]!.tail).toContain('crashing');
    expect(fleet.kills()).toEqual({ poller: 0 });
  });
});

describe.skipIf(!TEST_DATABASE_URL)('soak on Postgres: reader and integrity checks', () => {
  let db: SoakDatabase;
  let fake: FakeDiscord;
  let client: pg.Client;
  const feed: SoakFeed = { id: 'soak-0', region: '330400', place: '嘉兴市', traditional: false, gbk: false, items: [] };
  const story: Story = { n: 1, region: '330400', place: '嘉兴市', title: '【S1】嘉兴市新建地铁项目第1期开工', topic: '地铁', sources: [{ feed, suffix: '' }, { feed, suffix: '-twin' }] };

  beforeAll(async () => {
    fake = await startFakeDiscord();
    db = await soakDatabase();
    const { guilds, channels } = buildGuilds(fake.applicationId);
    await prepareDatabase(db.url, { guilds, subs: buildSubscriptions(channels) });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.close();
    await fake?.close();
  });

  const post = async (title: string) => {
    const res = await fetch(`${fake.apiBase}/v10/channels/${fake.channels.news}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ embeds: [{ title }] }),
    });
    return ((await res.json()) as { id: string }).id;
  };

  it('writes the subscriptions and reads which copies of a story are stored', async () => {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM subscriptions');
    expect(Number(rows[0]!.n)).toBe(buildSubscriptions(buildGuilds(fake.applicationId).channels).length);
    await client.query("INSERT INTO feeds (id, name, url, region, created_at) VALUES ('soak-0', 'soak-0', 'http://127.0.0.1/x.xml', '330400', 0)");
    await client.query("INSERT INTO stories (id, title_key, first_seen_at, revision) VALUES (1, 'k', 0, 2)");
    await client.query("INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, first_seen_at, script) VALUES (1, 'soak-0', 1, 'g:soak-0-1', 't', '', '', 0, 'hans')");
    await client.query('UPDATE stories SET primary_article_id = 1');
    const reader = soakReader(db.url);
    expect(reader.stored(story)).toEqual([undefined, undefined]);
    await reader.refresh([story]);
    expect(reader.stored(story)).toEqual([2, undefined]);
    await reader.close();
  });

  it('holds on a consistent database, and finds each planted breakage', async () => {
    await client.query("INSERT INTO deliveries (id, story_id, guild_id, channel_id, mode, state, next_attempt_at, created_at) VALUES (1, 1, 'g', $1, 'instant', 'pending', 0, 0)", [fake.channels.news]);
    const clean = await checkIntegrity(db.url, fake);
    expect(clean.examples).toEqual([]);
    expect(clean.amcheck === 'ok' || clean.amcheck.startsWith('unavailable')).toBe(true);
    expect(Object.keys(clean.orphans).length).toBeGreaterThan(5);
    expect(integrityHolds(clean)).toBe(true);

    // Posted, but the outbox still says sending: a post no delivery records, and a row stuck.
    const id = await post('【S1】嘉兴市新建地铁项目第1期开工');
    await client.query("UPDATE deliveries SET state = 'sending' WHERE id = 1");
    let r = await checkIntegrity(db.url, fake);
    expect({ unrecorded: r.unrecordedPosts, stuck: r.stuckSending, holds: integrityHolds(r) }).toEqual({ unrecorded: 1, stuck: 1, holds: false });
    // Recorded as sent with that message: consistent again; with a message Discord lacks: not.
    await client.query("UPDATE deliveries SET state = 'sent', message_id = $1 WHERE id = 1", [id]);
    expect(integrityHolds(await checkIntegrity(db.url, fake))).toBe(true);
    await client.query("UPDATE deliveries SET message_id = '1234567890123456789' WHERE id = 1");
    r = await checkIntegrity(db.url, fake);
    expect(r.sentWithoutMessage).toBe(1);
    await client.query('UPDATE deliveries SET message_id = $1 WHERE id = 1', [id]);

    // An article whose story is gone (foreign-key triggers off for this session: only a superuser may).
    const superuser = (await client.query<{ s: boolean }>('SELECT rolsuper AS s FROM pg_roles WHERE rolname = current_user')).rows[0]!.s;
    if (superuser) {
      await client.query("SET session_replication_role = 'replica'");
      await client.query("INSERT INTO articles (id, feed_id, story_id, item_key, title, html, text, first_seen_at, script) VALUES (2, 'soak-0', 99, 'g:x', 't', '', '', 0, 'hans')");
      await client.query("SET session_replication_role = 'origin'");
      r = await checkIntegrity(db.url, fake);
      expect(r.orphans['articles(story_id) → stories']).toBe(1);
      expect(integrityHolds(r)).toBe(false);
    }
  });
});
