// What the ingest bounds did to each feed (issue #11): how many items its document held,
// how many new ones a poll left out, and whether it was flagged as a flood. Kept in the
// meta table (one JSON value per feed) so no schema change is needed; `feeds list` and
// `/feeds status` read it with get() or all().
import type { Db } from './database.js';

export interface FeedBounds {
  /** Items in the feed's document at the last poll that read it. */
  readonly itemsInFeed: number;
  /** New items the last poll did not store (past the per-poll or per-document bounds). */
  readonly lastDropped: number;
  /** Items left out over all polls. */
  readonly droppedTotal: number;
  /** Set while the feed carries more items than a feed plausibly does; its items are held. */
  readonly flaggedAt: number | null;
  readonly flag: string | null;
  readonly updatedAt: number;
}

const PREFIX = 'ingest.bounds.';

function parse(value: string | undefined): FeedBounds | null {
  if (value === undefined) return null;
  try {
    const v = JSON.parse(value) as Partial<FeedBounds>;
    const n = (x: unknown) => (Number.isFinite(x) ? (x as number) : 0);
    return {
      itemsInFeed: n(v.itemsInFeed),
      lastDropped: n(v.lastDropped),
      droppedTotal: n(v.droppedTotal),
      flaggedAt: Number.isFinite(v.flaggedAt) ? (v.flaggedAt as number) : null,
      flag: typeof v.flag === 'string' ? v.flag : null,
      updatedAt: n(v.updatedAt),
    };
  } catch {
    return null; // a damaged value reads as no record; the next poll writes a new one
  }
}

export type FeedBoundsRepo = ReturnType<typeof createFeedBoundsRepo>;

export function createFeedBoundsRepo(db: Db) {
  const read = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
  const write = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  // '/' sorts right after '.', so this range is exactly the keys with the prefix.
  const every = db.prepare<[string, string], { key: string; value: string }>('SELECT key, value FROM meta WHERE key >= ? AND key < ?');

  const get = (feedId: string): FeedBounds | null => parse(read.get(PREFIX + feedId));

  return {
    get,
    /** Every feed with a record, by feed id. */
    all(): Map<string, FeedBounds> {
      const out = new Map<string, FeedBounds>();
      for (const r of every.all(PREFIX, `${PREFIX.slice(0, -1)}/`)) {
        const b = parse(r.value);
        if (b) out.set(r.key.slice(PREFIX.length), b);
      }
      return out;
    },
    /** Records one poll: items seen and left out; a flag is kept while the flood lasts. */
    record(feedId: string, poll: { itemsInFeed: number; dropped: number; flag: string | null; now: number }): FeedBounds {
      const old = get(feedId);
      const next: FeedBounds = {
        itemsInFeed: poll.itemsInFeed,
        lastDropped: poll.dropped,
        droppedTotal: (old?.droppedTotal ?? 0) + poll.dropped,
        flaggedAt: poll.flag ? (old?.flaggedAt ?? poll.now) : null,
        flag: poll.flag,
        updatedAt: poll.now,
      };
      write.run(PREFIX + feedId, JSON.stringify(next));
      return next;
    },
  };
}
