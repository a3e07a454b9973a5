// The multi-process soak's Postgres side (postgres-soak.ts): a throwaway database (on the server
// TEST_DATABASE_URL names, or on a server started for the run), the soak's subscriptions
// written through the bot's own Postgres store, and what the soak reads back — which copies of
// a story are stored, what is still to send, and the integrity checks after the run.
import pg from 'pg';
import { openPostgresStore } from '../../src/app/store-open.js';
import type { FakeDiscord } from '../fakes/fake-discord.js';
import { createTestDatabase, startPostgres, TEST_DATABASE_URL } from '../helpers/postgres.js';
import type { SoakWorld } from './soak-step.js';
import type { Story } from './world.js';

export interface SoakDatabase {
  readonly url: string;
  /** Where it runs: `TEST_DATABASE_URL` or `a server started for the run`. */
  readonly server: string;
  /** Drops the database and stops a server started for it. */
  close(): Promise<void>;
}

/** A new, empty database: on TEST_DATABASE_URL's server when set, else on a throwaway server. */
export async function soakDatabase(serverUrl = TEST_DATABASE_URL): Promise<SoakDatabase> {
  const server = serverUrl ? null : await startPostgres();
  try {
    const db = await createTestDatabase(serverUrl ?? server!.url);
    return {
      url: db.url,
      server: serverUrl ? 'TEST_DATABASE_URL' : 'a server started for the run',
      close: async () => {
        await db.drop().catch(() => undefined);
        server?.stop();
      },
    };
  } catch (err) {
    server?.stop();
    throw err;
  }
}

/** Migrates the database and writes the world's subscriptions through the bot's Postgres store. */
export async function prepareDatabase(url: string, world: Pick<SoakWorld, 'guilds' | 'subs'>): Promise<void> {
  const store = await openPostgresStore(url);
  try {
    for (const s of world.subs) {
      await store.subscriptions.subscribe({ guildId: world.guilds[s.guild]!.id, channelId: s.channelId, regionCode: s.region, mode: 'instant', include: s.include, exclude: s.exclude, createdBy: 'soak' }, Date.now());
    }
  } finally {
    await store.close();
  }
}

const guidOf = (s: Story['sources'][number], n: number) => `${s.feed.id}-${n}${s.suffix}`;

export interface SoakReader {
  /** Reads which copies of these stories are stored (one statement); `stored` answers from it. */
  refresh(stories: readonly Story[]): Promise<void>;
  /** As corrections.ts storedRevisions: the revision of the story each copy joined, undefined while not stored (or not refreshed). */
  stored(story: Story): Array<number | undefined>;
  /** Feeds in backoff resumed (as `xiangxun feeds resume` does), so the drain need not wait one out. */
  resumeFeeds(): Promise<void>;
  /** Deliveries, edits and digests still pending or sending. */
  outstanding(): Promise<number>;
  /** Where each lost delivery stands in the outbox: its row's state, `no row`, or `story not stored`. */
  whyLost(lost: ReadonlyArray<{ story: Story; channelId: string }>): Promise<Record<string, number>>;
  /** Digests that ended 'failed': their channel and last error. */
  failedDigests(): Promise<Array<{ channelId: string; error: string | null }>>;
  /** Rows by state: deliveries, edits, digests. */
  states(): Promise<Record<'deliveries' | 'edits' | 'digests', Record<string, number>>>;
  close(): Promise<void>;
}

export function soakReader(url: string): SoakReader {
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'xiangxun-soak' });
  let revisions = new Map<string, number>();
  const tally = async (table: string) =>
    Object.fromEntries((await pool.query<{ state: string; n: string }>(`SELECT state, count(*) AS n FROM ${table} GROUP BY state ORDER BY state`)).rows.map((r) => [r.state, Number(r.n)]));
  return {
    async refresh(stories) {
      const feeds: string[] = [];
      const keys: string[] = [];
      for (const story of stories) for (const s of story.sources) {
        feeds.push(s.feed.id);
        keys.push(`g:${guidOf(s, story.n)}`);
      }
      // The bot's item key for a guid is `g:guid` (as corrections.ts reads it on SQLite).
      const { rows } = await pool.query<{ feed_id: string; item_key: string; revision: number }>(
        `SELECT a.feed_id, a.item_key, s.revision FROM unnest($1::text[], $2::text[]) AS k(feed_id, item_key)
           JOIN articles a ON a.feed_id = k.feed_id AND a.item_key = k.item_key JOIN stories s ON s.id = a.story_id`,
        [feeds, keys],
      );
      revisions = new Map(rows.map((r) => [`${r.feed_id} ${r.item_key}`, Number(r.revision)]));
    },
    stored: (story) => story.sources.map((s) => revisions.get(`${s.feed.id} g:${guidOf(s, story.n)}`)),
    resumeFeeds: async () => void (await pool.query('UPDATE feeds SET next_poll_at = NULL')),
    async outstanding() {
      const { rows } = await pool.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM deliveries WHERE state IN ('pending', 'sending'))
              + (SELECT count(*) FROM edits WHERE state IN ('pending', 'sending'))
              + (SELECT count(*) FROM digests WHERE state IN ('pending', 'sending')) AS n`,
      );
      return Number(rows[0]!.n);
    },
    async whyLost(lost) {
      const why: Record<string, number> = {};
      for (const { story, channelId } of lost) {
        const { rows } = await pool.query<{ stored: boolean; state: string | null }>(
          `SELECT true AS stored, (SELECT d.state FROM deliveries d WHERE d.story_id = a.story_id AND d.channel_id = $3 LIMIT 1) AS state
             FROM articles a WHERE a.feed_id = ANY($1::text[]) AND a.item_key = ANY($2::text[])`,
          [story.sources.map((s) => s.feed.id), story.sources.map((s) => `g:${guidOf(s, story.n)}`), channelId],
        );
        const k = rows.length === 0 ? 'story not stored' : rows.find((r) => r.state)?.state ?? 'no outbox row';
        why[k] = (why[k] ?? 0) + 1;
      }
      return why;
    },
    failedDigests: async () =>
      (await pool.query<{ channel_id: string; last_error: string | null }>("SELECT channel_id, last_error FROM digests WHERE state = 'failed' ORDER BY id")).rows.map((r) => ({
        channelId: r.channel_id,
        error: r.last_error,
      })),
    states: async () => ({ deliveries: await tally('deliveries'), edits: await tally('edits'), digests: await tally('digests') }),
    close: () => pool.end(),
  };
}

export interface PgIntegrity {
  /** amcheck over every b-tree index and table of the schema: 'ok', 'unavailable (…)' or what it found. */
  readonly amcheck: string;
  /** Rows whose foreign key names no row, per constraint (every declared one is checked). */
  readonly orphans: Record<string, number>;
  /** Stories whose primary article is gone, and stories with no article (no retention runs in the soak). */
  readonly storiesWithoutArticle: number;
  /** 'sent' deliveries whose message the fake Discord does not hold (or holds in another channel). */
  readonly sentWithoutMessage: number;
  /** 'sent' digests naming a message the fake Discord does not hold. */
  readonly digestsWithoutMessage: number;
  /** Two 'sent' deliveries naming one message. */
  readonly sharedMessages: number;
  /** Single-story posts in Discord that no 'sent' delivery names (sent, but the outbox does not know it). */
  readonly unrecordedPosts: number;
  /** Rows left 'sending' after the drain: deliveries, edits, digests. */
  readonly stuckSending: number;
  /** Deliverers' and poll leases' rows left behind do no harm (they lapse); counted for the report. */
  readonly leftLeases: number;
  readonly examples: string[];
}

export const integrityHolds = (i: PgIntegrity): boolean =>
  (i.amcheck === 'ok' || i.amcheck.startsWith('unavailable')) &&
  Object.values(i.orphans).every((n) => n === 0) &&
  i.storiesWithoutArticle === 0 && i.sentWithoutMessage === 0 && i.digestsWithoutMessage === 0 && i.sharedMessages === 0 && i.unrecordedPosts === 0 && i.stuckSending === 0;

/** Every foreign key of the public schema as a query counting the rows that break it. */
async function foreignKeys(c: pg.ClientBase): Promise<Array<{ name: string; sql: string }>> {
  const { rows } = await c.query<{ name: string; child: string; parent: string; ccols: string[]; pcols: string[] }>(
    `SELECT con.conname AS name, cc.relname AS child, pc.relname AS parent,
            array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS ccols,
            array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS pcols
       FROM pg_constraint con JOIN pg_class cc ON cc.oid = con.conrelid JOIN pg_class pc ON pc.oid = con.confrelid
       JOIN pg_namespace ns ON ns.oid = cc.relnamespace
      WHERE con.contype = 'f' AND ns.nspname = 'public' ORDER BY 1`,
  );
  const id = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return rows.map((r) => ({
    name: `${r.child}(${r.ccols.join(',')}) → ${r.parent}`,
    sql: `SELECT count(*) AS n FROM ${id(r.child)} c WHERE ${r.ccols.map((col) => `c.${id(col)} IS NOT NULL`).join(' AND ')}
            AND NOT EXISTS (SELECT 1 FROM ${id(r.parent)} p WHERE ${r.ccols.map((col, i) => `p.${id(r.pcols[i]!)} = c.${id(col)}`).join(' AND ')})`,
  }));
}

/** amcheck's b-tree and heap checks; needs the extension (a superuser creates it), else says why not. */
async function amcheck(c: pg.ClientBase): Promise<string> {
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS amcheck');
  } catch (err) {
    return `unavailable (${(err as Error).message})`;
  }
  const found: string[] = [];
  const indexes = await c.query<{ name: string; oid: number }>(
    `SELECT c.relname AS name, c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
       JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE am.amname = 'btree' AND ns.nspname = 'public'`,
  );
  for (const ix of indexes.rows) {
    try {
      await c.query('SELECT bt_index_check($1::regclass, true)', [ix.oid]);
    } catch (err) {
      found.push(`${ix.name}: ${(err as Error).message}`);
    }
  }
  const tables = await c.query<{ name: string }>("SELECT c.relname AS name FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE c.relkind = 'r' AND ns.nspname = 'public'");
  for (const t of tables.rows) {
    try {
      const bad = await c.query<{ msg: string }>(`SELECT msg FROM verify_heapam($1::regclass) LIMIT 3`, [t.name]);
      for (const b of bad.rows) found.push(`${t.name}: ${b.msg}`);
    } catch (err) {
      // verify_heapam came with amcheck 1.3 (Postgres 14): older servers check indexes only.
      if (!/verify_heapam/.test((err as Error).message)) found.push(`${t.name}: ${(err as Error).message}`);
    }
  }
  return found.length ? found.slice(0, 5).join('; ') : 'ok';
}

/** The integrity checks after the run (the processes stopped, the outbox drained). */
export async function checkIntegrity(url: string, fake: FakeDiscord): Promise<PgIntegrity> {
  const c = new pg.Client({ connectionString: url, application_name: 'xiangxun-soak' });
  await c.connect();
  try {
    const examples: string[] = [];
    const note = (s: string) => examples.length < 10 && examples.push(s);
    const orphans: Record<string, number> = {};
    for (const fk of await foreignKeys(c)) orphans[fk.name] = Number((await c.query<{ n: string }>(fk.sql)).rows[0]!.n);
    const count = async (sql: string) => Number((await c.query<{ n: string }>(sql)).rows[0]!.n);
    const bare = (
      await c.query<{ id: string; why: string }>(
        `SELECT id, 'its primary article is gone' AS why FROM stories s WHERE s.primary_article_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = s.primary_article_id)
         UNION ALL SELECT id, 'no article' FROM stories s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id)`,
      )
    ).rows;
    const storiesWithoutArticle = bare.length;
    for (const b of bare.slice(0, 3)) note(`story ${b.id}: ${b.why}`);
    const sent = (await c.query<{ id: string; story_id: string; channel_id: string; message_id: string | null; message_channel_id: string | null }>(
      "SELECT id, story_id, channel_id, message_id, message_channel_id FROM deliveries WHERE state = 'sent'",
    )).rows;
    let sentWithoutMessage = 0;
    const byMessage = new Map<string, number>();
    for (const d of sent) {
      const m = d.message_id ? fake.message(d.message_id) : undefined;
      // A forum post's message sits in its thread (message_channel_id); a post elsewhere in its channel.
      const where = d.message_channel_id ?? d.channel_id;
      if (!m || (m.channelId !== where && m.channelId !== d.channel_id)) {
        sentWithoutMessage++;
        note(`delivery ${d.id} (story ${d.story_id}, channel ${d.channel_id}) sent as ${d.message_id ?? 'no message'}, which Discord ${m ? `holds in ${m.channelId}` : 'does not hold'}`);
      }
      if (d.message_id) byMessage.set(d.message_id, (byMessage.get(d.message_id) ?? 0) + 1);
    }
    const sharedMessages = [...byMessage.values()].reduce((s, k) => s + (k > 1 ? k - 1 : 0), 0);
    let digestsWithoutMessage = 0;
    for (const d of (await c.query<{ id: string; message_ids: string | null }>("SELECT id, message_ids FROM digests WHERE state = 'sent'")).rows) {
      const ids = JSON.parse(d.message_ids ?? '[]') as string[];
      if (ids.length === 0 || ids.some((id) => !fake.message(id))) {
        digestsWithoutMessage++;
        note(`digest ${d.id} sent as ${d.message_ids}, not all held by Discord`);
      }
    }
    // A single-story post names its story in the headline (corrections.ts storyOf): each such
    // message must be some 'sent' delivery's message, a forum post by its starter message.
    const known = new Set(byMessage.keys());
    let unrecordedPosts = 0;
    for (const m of fake.allMessages()) {
      const title = String((m.body.embeds as Array<{ title?: string }> | undefined)?.[0]?.title ?? '');
      if (!/【S\d+】/.test(title) || known.has(m.id) || known.has(m.channelId)) continue;
      unrecordedPosts++;
      note(`post ${m.id} in ${m.channelId} («${title}») is no sent delivery's message`);
    }
    const stuckSending = await count(
      `SELECT (SELECT count(*) FROM deliveries WHERE state = 'sending') + (SELECT count(*) FROM edits WHERE state = 'sending') + (SELECT count(*) FROM digests WHERE state = 'sending') AS n`,
    );
    const leftLeases = await count('SELECT (SELECT count(*) FROM feed_leases) + (SELECT count(*) FROM deliverers) AS n');
    return { amcheck: await amcheck(c), orphans, storiesWithoutArticle, sentWithoutMessage, digestsWithoutMessage, sharedMessages, unrecordedPosts, stuckSending, leftLeases, examples };
  } finally {
    await c.end();
  }
}
