// Corrections in the soak (issue #15): feeds serve some already-published items again with a
// materially changed title and text (the bot must edit its posts in place), and some with
// only trivial changes — spacing, full-width digits, punctuation width — that must change
// nothing. At the end every post (forum posts read as the starter message of each thread)
// is checked against what was injected.
//
// The bot dedupes a story carried by two feeds by its headline, so a story is corrected only
// once every feed's copy of it is stored (the soak reads the bot's database): a copy first
// seen already corrected carries another headline, and is another story to the bot. The one
// deliberate exception is `lateSource`: a second feed that first carries the story after its
// correction was stored, with the corrected headline (a syndicated copy published late).
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../src/store/database.js';
import { comparable } from '../../src/text/revision.js';
import type { FakeDiscord, JsonObject, StoredMessage } from '../fakes/fake-discord.js';
import { itemText, publish, TAG_REGION, within, type ChannelKind, type SoakFeed, type Story } from './world.js';

export interface Corrections {
  /** Story number → the title and body (Simplified) its last material correction gave it. */
  readonly material: Map<number, { title: string; body: string; k: number }>;
  /** Stories a second feed first carried after their correction was stored (lateSource). */
  readonly late: Set<number>;
  /** Stories that only ever got trivial changes. */
  readonly trivial: Set<number>;
  injected: number;
  trivialInjected: number;
}

export const newCorrections = (): Corrections => ({ material: new Map(), late: new Set(), trivial: new Set(), injected: 0, trivialInjected: 0 });

const guidOf = (s: Story['sources'][number], n: number) => `${s.feed.id}-${n}${s.suffix}`;

/**
 * What the bot stored of each copy: the revision of the story it joined, or undefined when
 * the copy is not stored yet. Read from the bot's database (its item key for a guid is `g:guid`).
 */
export function storedRevisions(db: Db, story: Story): Array<number | undefined> {
  let q = statements.get(db);
  if (!q) statements.set(db, (q = db.prepare<[string, string], number>("SELECT s.revision FROM articles a JOIN stories s ON s.id = a.story_id WHERE a.feed_id = ? AND a.item_key = 'g:' || ?").pluck()));
  return story.sources.map((s) => q.get(s.feed.id, guidOf(s, story.n)));
}
const statements = new WeakMap<Db, Statement<[string, string], number>>();

/** Every copy of the story its feeds still serve (a feed keeps its 30 newest), or null. */
function servedCopies(story: Story) {
  const copies = story.sources.map((s) => ({ source: s, item: s.feed.items.find((i) => i.guid === guidOf(s, story.n)) }));
  return copies.every((c) => c.item) ? copies : null;
}

/**
 * A feed that did not carry the story publishes it now, with the headline and text of its
 * last correction, after the bot stored that correction. The story is known, so it should
 * not be posted again.
 */
export function lateSource(c: Corrections, story: Story, feed: SoakFeed): void {
  const fix = c.material.get(story.n)!;
  publish(feed, story, '-late');
  Object.assign(feed.items[0]!, itemText(feed, fix.title, fix.body));
  c.late.add(story.n);
}

/**
 * The k-th material correction of a story: a new headline (same story marker, place and
 * topic, so the same channels want it) and a rewritten body, in every feed carrying it.
 * Returns false when a feed no longer serves the item.
 */
export function correct(c: Corrections, story: Story): boolean {
  const copies = servedCopies(story);
  if (!copies) return false;
  const k = (c.material.get(story.n)?.k ?? 0) + 1;
  const title = `【S${story.n}】${story.place}新建${story.topic}项目第${story.n}期开工时间调整（第${k}次更正）`;
  const body = `${story.place}有关部门表示，原定开工时间调整为第${k}季度，工程规模和投资不变，施工期间周边道路将实行交通管制。`;
  for (const { source, item } of copies) Object.assign(item!, itemText(source.feed, title, body));
  c.material.set(story.n, { title, body, k });
  c.trivial.delete(story.n);
  c.injected++;
  return true;
}

const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

/** A change no reader would call a correction: spacing, full-width digits, punctuation width. */
export function trivialChange(c: Corrections, story: Story): boolean {
  if (c.material.has(story.n)) return false;
  const copies = servedCopies(story);
  if (!copies) return false;
  for (const { item } of copies) {
    // The story marker stays as it is; the rest of the headline changes only in form.
    item!.title = (item!.title ?? '').replace(/第(\d+)期/, (_, d: string) => ` 第${fullWidth(d)}期 `);
    item!.description = (item!.description ?? '').replace(/，/g, ', ').replace(/。/g, '. ');
  }
  c.trivial.add(story.n);
  c.trivialInjected++;
  return true;
}

const embedTitle = (m: JsonObject | undefined): string => String((m?.embeds as Array<{ title?: string }> | undefined)?.[0]?.title ?? '');
/** The story a single-story post is about (its headline carries the marker); null for a digest. */
export const storyOf = (m: JsonObject | undefined): number | null => {
  const x = /【S(\d+)】/.exec(embedTitle(m));
  return x ? Number(x[1]) : null;
};

/** What the bot posted to a channel: its messages, or for a forum each post's starter message. */
export function postsOf(fake: FakeDiscord, channelId: string, kind: ChannelKind): StoredMessage[] {
  if (kind !== 'forum') return fake.messages(channelId);
  return fake.threads(channelId).flatMap((t) => fake.message(t.id) ?? []);
}

export interface CorrectionCheck {
  /** Accepted edits, and those among them that repeated the previous body (a retry after a lost answer or a restart). */
  edits: number;
  editRepeats: number;
  /** Posts of corrected stories not showing the last correction (live, active channels only). */
  stale: number;
  /** Forum posts of corrected stories whose post title was not renamed. */
  staleForumTitles: number;
  /** Posts of corrected stories left as they were: deleted by a moderator, in a paused channel, or listed in a digest. */
  leftAlone: { deleted: number; paused: number; digest: number };
  editsOfTrivial: number;
  editsOfUncorrected: number;
  /** Versions of a message that name another story than its first. */
  wrongStory: number;
  /** Messages inside forum posts besides the starter (an edit must not add one). */
  extraThreadMessages: number;
  /** Forum posts missing a tag naming the story's place, or carrying one naming none. */
  tagMismatches: number;
  /** Examples of what broke, for the report. */
  examples: string[];
}

export function checkCorrections(
  fake: FakeDiscord,
  opts: { channels: readonly string[]; paused: ReadonlySet<string>; kinds: ReadonlyMap<string, ChannelKind>; stories: ReadonlyMap<number, Story>; corrections: Corrections; final: boolean },
): CorrectionCheck {
  const r: CorrectionCheck = { edits: 0, editRepeats: 0, stale: 0, staleForumTitles: 0, leftAlone: { deleted: 0, paused: 0, digest: 0 }, editsOfTrivial: 0, editsOfUncorrected: 0, wrongStory: 0, extraThreadMessages: 0, tagMismatches: 0, examples: [] };
  const note = (s: string) => r.examples.length < 12 && r.examples.push(s);
  const { material, trivial } = opts.corrections;
  for (const c of opts.channels) {
    const kind = opts.kinds.get(c) ?? 'text';
    const paused = opts.paused.has(c);
    for (const m of postsOf(fake, c, kind)) {
      const n = storyOf(m.body);
      if (n === null) {
        // A digest lists stories; it is not edited when one of them is corrected.
        if (opts.final) r.leftAlone.digest += [...new Set([...JSON.stringify(m.body).matchAll(/【S(\d+)】/g)].map((x) => Number(x[1])))].filter((s) => material.has(s)).length;
        continue;
      }
      const want = material.get(n)?.title;
      const lastTitle = () => embedTitle(fake.editHistory(m.id).at(-1)?.message);
      if (want !== undefined && !m.deleted && !paused && comparable(lastTitle()) !== comparable(want)) {
        r.stale++;
        if (opts.final) note(`S${n} in ${kind} ${c}: post ${m.id} shows «${lastTitle()}», expected «${want}»`);
      }
      if (!opts.final) continue;
      const history = fake.editHistory(m.id);
      const edits = history.length - 1;
      r.edits += edits;
      for (let i = 2; i < history.length; i++) if (JSON.stringify(history[i]!.body) === JSON.stringify(history[i - 1]!.body)) r.editRepeats++;
      for (const v of history.slice(1)) {
        if (storyOf(v.message) !== n) {
          r.wrongStory++;
          note(`post ${m.id} of S${n} edited into «${embedTitle(v.message)}»`);
        }
      }
      if (want !== undefined && paused) r.leftAlone.paused++;
      else if (want !== undefined && m.deleted) r.leftAlone.deleted++;
      if (want === undefined && edits > 0) {
        if (trivial.has(n)) r.editsOfTrivial += edits;
        else r.editsOfUncorrected += edits;
        note(`S${n} (${trivial.has(n) ? 'trivial change only' : 'never corrected'}) in ${kind} ${c}: ${edits} edit(s)`);
      }
      if (kind !== 'forum') continue;
      const thread = fake.thread(m.id);
      if (!thread) continue;
      r.extraThreadMessages += Math.max(0, fake.messages(thread.id).length - 1);
      if (want !== undefined && !paused && comparable(thread.name) !== comparable(want)) {
        r.staleForumTitles++;
        note(`forum post ${thread.id} of S${n} titled «${thread.name}», expected «${want}»`);
      }
      const story = opts.stories.get(n);
      const tags = fake.guilds.flatMap((g) => g.channels).find((ch) => ch.id === c)?.tags ?? [];
      const named = (id: string) => TAG_REGION.get(tags.find((t) => t.id === id)?.name ?? '') ?? null;
      const expected = tags.filter((t) => story && (TAG_REGION.get(t.name) ?? null) !== null && within(story.region, TAG_REGION.get(t.name)!)).map((t) => t.id);
      const bad = thread.appliedTags.length > 5 || thread.appliedTags.some((id) => named(id) === null) || expected.some((id) => !thread.appliedTags.includes(id));
      if (bad) {
        r.tagMismatches++;
        note(`forum post of S${n} (${story?.region}) tagged ${thread.appliedTags.map((id) => tags.find((t) => t.id === id)?.name).join(',') || 'nothing'}`);
      }
    }
  }
  return r;
}
