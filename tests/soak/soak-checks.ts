// The invariants both soaks check against the fake Discord (see soak-step.ts): every story in
// every matching active channel, none twice (repeats told apart by cause), nothing after a
// pause, and the corrections (corrections.ts).
import { checkCorrections, postsOf, storyOf, type CorrectionCheck } from './corrections.js';
import type { SoakLife, SoakWorld } from './soak-step.js';
import { wants } from './world.js';

export interface SoakOutcome {
  readonly expectedDeliveries: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicates: number;
  /** Stories posted again when a second feed first carried them after their correction (a bot bug while > 0). */
  readonly lateReposts: number;
  /** A story both posted and listed in a burst digest in one channel (a bot bug while > 0). */
  readonly postedAndDigested: number;
  readonly duplicateExamples: string[];
  readonly afterPause: number;
  readonly posts: number;
  readonly digests: number;
  readonly channelKinds: Record<string, number>;
  readonly forumPosts: number;
  readonly corrections: CorrectionCheck;
}

export interface SoakChecks {
  /** Channels not paused on purpose. */
  readonly active: string[];
  /** Deliveries still missing in active channels. */
  missing(): number;
  /** The missing ones: story number and channel. */
  missingPairs(): Array<{ n: number; channelId: string }>;
  /** Live posts of corrected stories not showing their last correction yet. */
  stale(): number;
  /** Waits until nothing is missing or stale (and `more` holds, when given), or the deadline passes. */
  drain(deadlineMs: number, more?: () => Promise<boolean>): Promise<void>;
  outcome(): SoakOutcome;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Call once the faults have ended: the stories and paused channels are final by then. */
export function soakChecks(world: SoakWorld, life: SoakLife): SoakChecks {
  const { fake, channels, kinds, subs } = world;
  const { stories, pausedAt, corrections } = life;
  const active = channels.flat().filter((c) => !pausedAt.has(c));
  const expected = new Map<string, Set<number>>(active.map((c) => [c, new Set(stories.filter((s) => wants(subs, c, s)).map((s) => s.n))]));
  // The story numbers each message carries (a post names its story in the title and summary);
  // a forum's messages are its posts' starter messages.
  const seen = (c: string) => postsOf(fake, c, kinds.get(c) ?? 'text').flatMap((m) => [...new Set([...JSON.stringify(m.body).matchAll(/【S(\d+)】/g)].map((x) => Number(x[1])))]);
  const byNumber = new Map(stories.map((s) => [s.n, s]));
  const paused = new Set(pausedAt.keys());
  const checkOpts = { channels: channels.flat(), paused, kinds, stories: byNumber, corrections };
  const stale = () => checkCorrections(fake, { ...checkOpts, final: false }).stale;
  // Each channel's messages are read once per check: this process also serves the feeds, and a
  // check that blocked it for seconds would make the bot see feed timeouts that no fault caused.
  const missing = () =>
    active.reduce((sum, c) => {
      const got = new Set(seen(c));
      return sum + [...expected.get(c)!].filter((x) => !got.has(x)).length;
    }, 0);

  function outcome(): SoakOutcome {
    const delivered = active.reduce((sum, c) => sum + seen(c).length, 0);
    // A story in a channel more than once; those a late second source brought are counted apart.
    const duplicateExamples: string[] = [];
    let duplicates = 0;
    let lateReposts = 0;
    let postedAndDigested = 0;
    for (const c of active) {
      const times = new Map<number, number>();
      for (const x of seen(c)) times.set(x, (times.get(x) ?? 0) + 1);
      const posted = new Map<number, number>();
      for (const m of postsOf(fake, c, kinds.get(c) ?? 'text')) if (storyOf(m.body) !== null) posted.set(storyOf(m.body)!, (posted.get(storyOf(m.body)!) ?? 0) + 1);
      for (const [x, k] of times) {
        if (k < 2) continue;
        const why = corrections.late.has(x) ? 'a second source first seen after its correction' : (posted.get(x) ?? 0) === 1 ? 'posted, and listed in a digest' : '';
        if (corrections.late.has(x)) lateReposts += k - 1;
        else if (why) postedAndDigested += k - 1;
        else duplicates += k - 1;
        if (duplicateExamples.length < 10) duplicateExamples.push(`S${x} ×${k} in ${kinds.get(c)} ${c}${why ? ` (${why})` : ''}`);
      }
    }
    const afterPause = [...pausedAt].reduce((sum, [c, at]) => sum + postsOf(fake, c, kinds.get(c) ?? 'text').filter((m) => m.createdAt > at).length, 0);
    const tally = <T>(xs: Iterable<T>) => [...xs].reduce<Record<string, number>>((o, k) => ({ ...o, [String(k)]: (o[String(k)] ?? 0) + 1 }), {});
    return {
      expectedDeliveries: [...expected.values()].reduce((s, x) => s + x.size, 0),
      delivered,
      lost: missing(),
      duplicates,
      lateReposts,
      postedAndDigested,
      duplicateExamples,
      afterPause,
      // A post names one story in its headline; a digest (in a forum, a post of its own) lists several.
      posts: fake.allMessages().filter((m) => storyOf(m.body) !== null).length,
      digests: fake.allMessages().filter((m) => storyOf(m.body) === null).length,
      channelKinds: tally(kinds.values()),
      forumPosts: fake.threads().filter((t) => t.kind === 'forum-post').length,
      corrections: checkCorrections(fake, { ...checkOpts, final: true }),
    };
  }

  return {
    active,
    missing,
    missingPairs: () => active.flatMap((c) => {
      const got = new Set(seen(c));
      return [...expected.get(c)!].filter((x) => !got.has(x)).map((n) => ({ n, channelId: c }));
    }),
    stale,
    async drain(deadlineMs, more) {
      const deadline = Date.now() + deadlineMs;
      while ((missing() > 0 || stale() > 0 || (more && !(await more()))) && Date.now() < deadline) await sleep(1000);
    },
    outcome,
  };
}
