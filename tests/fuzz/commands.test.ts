// Fuzzing the slash commands' option inputs against the real store on an in-memory
// database. Options are generated from each command's own definition: mostly what Discord
// lets through (choices, min/max, lengths), sometimes values of the right type that its
// checks would stop (a stale client, a definition changed since registration, a missing
// required option). A handler may answer, or throw UserError (shown to the user); anything
// else is an "interaction failed" and fails the property. Buttons returned by a reply are
// pressed again, by the same user and by another one. New commands in commands/index.ts
// are picked up without changes here; new CommandDeps fields must be added to `deps`.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../commands/deps.js';
import { UserError } from '../../commands/errors.js';
import { COMMANDS } from '../../commands/index.js';
import type { AutocompleteInput, ButtonInput, CommandInput, CommandModule, Reply } from '../../commands/types.js';
import { loadRegionsFile } from '../../src/app/services.js';
import { validateMessage } from '../../src/presentation/message.js';
import { createRouter } from '../../src/delivery/route.js';
import { canonicalUrl } from '../../src/feeds/url.js';
import { createSearchIndex } from '../../src/store/sqlite-search/index-writer.js';
import { createSearch } from '../../src/store/sqlite-search/query.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createOutboxRepo } from '../../src/store/outbox-repo.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { createSubscriptionsRepo } from '../../src/store/subscriptions-repo.js';
import { createGazetteer } from '../../src/text/gazetteer.js';
import { createStoryWriter } from '../helpers/stories.js';
import { richText, runs, searchQuery, testTimeout, wellFormed, withinTime } from './fuzz-config.js';

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const GUILD = '1100000000000000001';
const CHANNEL = '1200000000000000001';
const USERS = ['1300000000000000001', '1300000000000000002'];
const MANAGE_GUILD = 0x20n;

let db: Db;
let deps: CommandDeps;

beforeAll(() => {
  db = openDatabase(':memory:');
  const gazetteer = createGazetteer(loadRegionsFile());
  const writer = createStoryWriter(db);
  for (const [i, title] of ['嘉兴市举行互学互比互赛活动', '嘉興市舉辦端午龍舟賽', '海宁皮革城春季展销会开幕', 'Operators "OR" NEAR(x)'].entries()) {
    writer.add({ title, region: ['330400', '330411', '330481', '310000'][i]!, url: `https://news.example.cn/${i}.html` });
  }
  const store = createSqliteStore(db, { index: createSearchIndex(db), search: createSearch(db, { now: () => NOW, knownRegion: (c) => gazetteer.get(c) !== undefined }) });
  // The router is still synchronous (it runs inside ingest's transaction): over the repositories.
  const router = createRouter({ subscriptions: createSubscriptionsRepo(db), outbox: createOutboxRepo(db), articles: writer.articles });
  deps = {
    subscriptions: store.subscriptions,
    settings: store.settings,
    articles: store.articles,
    feeds: store.feeds,
    outbox: store.outbox,
    search: store.search,
    searches: store.searches,
    decide: async (storyId) => router.decide(storyId),
    gazetteer,
    channelAccess: async (_guild, channel) =>
      channel === CHANNEL ? { postable: true, exists: true, missing: [] } : channel.endsWith('9') ? { postable: false, exists: true, missing: ['SendMessages'] } : { postable: false, exists: false, missing: [] },
    now: () => NOW,
    defaultTimeZone: 'Asia/Shanghai',
    canonicalUrl: (raw) => canonicalUrl(raw),
  };
});
afterAll(() => db.close());

interface OptionDef {
  readonly type: number;
  readonly name: string;
  readonly required?: boolean;
  readonly autocomplete?: boolean;
  readonly choices?: readonly { readonly value: string | number }[];
  readonly min_value?: number;
  readonly max_value?: number;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly options?: readonly OptionDef[];
}

const SUBCOMMAND = 1;
const GROUP = 2;
const INTEGER = 4;
const BOOLEAN = 5;
const CHANNEL_OPTION = 7;
const NUMBER = 10;

/**
 * Anything a user can type into a string option. Interactions arrive as UTF-8 JSON, so half
 * surrogate pairs never do; they are replaced as a UTF-8 round trip would.
 */
const typedString = fc
  .oneof(
    { weight: 3, arbitrary: searchQuery },
    { weight: 2, arbitrary: richText({ maxUnits: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  )
  .map(wellFormed);

/** What users type into this bot's string options, by option name, mostly meaningful. */
const TYPICAL: Record<string, readonly string[]> = {
  region: ['嘉兴', '嘉興市', '浙江省嘉兴市', '330400', '330411', '南湖区', '海宁', '上海', '香港', '臺北', '999999', '城区', '鼓楼区', '浙江'],
  zone: ['Asia/Shanghai', 'Asia/Taipei', 'America/New_York', 'UTC', 'Etc/GMT+8', 'Mars/Base', 'asia/shanghai', 'CST', '+08:00'],
  time: ['08:00', '8:00', '7:5', '23:59', '24:00', '00:00', '-1:00', '99:99', '8点', '０８:００', '12:00pm'],
  url: ['https://news.example.cn/0.html', 'https://NEWS.example.cn/0.html?utm_source=x#top', 'https://news.example.cn/x.html', 'news.example.cn/1.html', 'http://[::1]/', 'javascript:alert(1)'],
  include: ['地铁', '地铁, 公交', '-台风', '嘉兴 南湖', ','],
};
TYPICAL.parent = TYPICAL.region!;
TYPICAL.exclude = TYPICAL.include!;
TYPICAL.query = ['嘉兴', '嘉興 "南湖" -台风', '市', 'Operators'];

function stringFor(o: OptionDef): fc.Arbitrary<string> {
  const typical = TYPICAL[o.name];
  return typical ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...typical) }, { weight: 1, arbitrary: typedString }) : typedString;
}

/** A value Discord would accept for this option. */
function validValue(o: OptionDef): fc.Arbitrary<string | number | boolean> {
  if (o.choices?.length) return fc.constantFrom(...o.choices.map((c) => c.value));
  switch (o.type) {
    case INTEGER:
      return fc.integer({ min: o.min_value ?? -(2 ** 53) + 1, max: o.max_value ?? 2 ** 53 - 1 });
    case NUMBER:
      return fc.double({ min: o.min_value ?? -1e12, max: o.max_value ?? 1e12, noNaN: true });
    case BOOLEAN:
      return fc.boolean();
    case CHANNEL_OPTION:
      return fc.constantFrom(CHANNEL, '1200000000000000009', '1200000000000000002');
    default:
      return stringFor(o).filter((s) => s.length >= (o.min_length ?? 0) && s.length <= (o.max_length ?? 6000));
  }
}

/**
 * A value of the option's type that Discord's checks would normally stop (past a length or
 * range, off the list of choices), as a stale client or a changed definition can produce.
 * Types themselves are enforced by Discord against the registered definition.
 */
function unusualValue(o: OptionDef): fc.Arbitrary<string | number | boolean> {
  switch (o.type) {
    case INTEGER:
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53 - 1, -(2 ** 53) + 1));
    case NUMBER:
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0));
    case BOOLEAN:
      return fc.boolean();
    case CHANNEL_OPTION:
      return fc.constantFrom('', '0', 'not-a-snowflake', '9'.repeat(25));
    default:
      return fc.oneof(stringFor(o), fc.string({ minLength: 201, maxLength: 2000 }).map(wellFormed), fc.constantFrom('', ' ', '\u3000', '\u200b'));
  }
}

function optionsFor(defs: readonly OptionDef[]): fc.Arbitrary<Record<string, string | number | boolean>> {
  const entries = defs.map((o) =>
    fc
      .oneof(
        { weight: o.required ? 8 : 4, arbitrary: validValue(o).map((v) => ({ v })) },
        { weight: o.required ? 0 : 4, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: unusualValue(o).map((v) => ({ v })) },
        { weight: 1, arbitrary: fc.constant(null) },
      )
      .map((x) => [o.name, x] as const),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter(([, x]) => x !== null).map(([k, x]) => [k, x!.v])));
}

/** Subcommand (or none) and options, from the command's definition. */
function inputFor(m: CommandModule): fc.Arbitrary<{ subcommand: string | null; options: Record<string, string | number | boolean>; defs: readonly OptionDef[] }> {
  const top = (m.definition.options ?? []) as unknown as readonly OptionDef[];
  const subs = top.flatMap((o) => (o.type === GROUP ? (o.options ?? []) : o.type === SUBCOMMAND ? [o] : []));
  if (subs.length === 0) return optionsFor(top).map((options) => ({ subcommand: null, options, defs: top }));
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...subs).chain((s) => optionsFor(s.options ?? []).map((options) => ({ subcommand: s.name, options, defs: s.options ?? [] }))) },
    { weight: 1, arbitrary: fc.constantFrom(null, 'nope').map((subcommand) => ({ subcommand, options: {}, defs: [] })) },
  );
}

// Mostly a manager in a server, so handlers get past their permission checks.
const caller = fc.record({
  userId: fc.constantFrom(...USERS),
  guildId: fc.oneof({ weight: 8, arbitrary: fc.constant<string | null>(GUILD) }, { weight: 1, arbitrary: fc.constant<string | null>(null) }),
  channelId: fc.oneof({ weight: 6, arbitrary: fc.constant<string | null>(CHANNEL) }, { weight: 1, arbitrary: fc.constantFrom<string | null>('1200000000000000009', null) }),
  locale: fc.constantFrom('zh-CN', 'zh-TW', 'en-US', 'ja', ''),
  memberPermissions: fc.oneof({ weight: 6, arbitrary: fc.constant<bigint | null>(MANAGE_GUILD) }, { weight: 1, arbitrary: fc.constantFrom<bigint | null>(0n, 0xffffffffn, null) }),
});

/** Runs a handler: a result, or a UserError; any other exception fails the property. */
async function settle<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await withinTime(fn);
  } catch (e) {
    if (e instanceof UserError) {
      expect(e.text.en.length).toBeGreaterThan(0);
      return null;
    }
    throw e;
  }
}

/** A reply Discord accepts: the message limits, and buttons it can render. */
function checkReply(r: Reply): void {
  const problems = validateMessage({ content: r.content, embeds: [...(r.embeds ?? [])], allowed_mentions: { parse: [] } }).filter((p) => !(p === 'message is empty' && r.buttons?.length));
  expect(problems).toEqual([]);
  expect(r.buttons?.length ?? 0).toBeLessThanOrEqual(25);
  for (const b of r.buttons ?? []) {
    expect(b.customId.length).toBeGreaterThan(0);
    expect(b.customId.length).toBeLessThanOrEqual(100);
    expect(b.label.length).toBeGreaterThan(0);
  }
}

describe('fuzz: slash commands', () => {
  for (const m of COMMANDS) {
    it(
      `/${m.definition.name}: every option input gets a valid reply or a UserError, buttons included`,
      async () => {
        await fc.assert(
          fc.asyncProperty(inputFor(m), caller, fc.nat(), async ({ subcommand, options }, who, n) => {
            const input: CommandInput = { interactionId: `i${n}`, name: m.definition.name, subcommand, options, ...who };
            if (typeof m.defer === 'function') m.defer(input);
            const reply = await settle(() => m.execute(input, deps));
            if (!reply) return;
            checkReply(reply);
            for (const [k, b] of (reply.buttons ?? []).slice(0, 3).entries()) {
              const press: ButtonInput = { ...who, customId: b.customId, userId: USERS[(n + k) % USERS.length]! };
              const r = m.button ? await settle(() => m.button!(press, deps)) : null;
              if (!r) continue;
              for (const part of ['update', 'reply', 'followUp'] as const) if (part in r) checkReply((r as Record<string, Reply>)[part]!);
            }
          }),
          runs(60),
        );
      },
      testTimeout(),
    );
  }

  it(
    'autocomplete answers any focused text with choices, never an exception',
    async () => {
      const withAutocomplete = COMMANDS.filter((m) => m.autocomplete);
      if (withAutocomplete.length === 0) return;
      const target = fc.constantFrom(...withAutocomplete).chain((m) => inputFor(m).map((i) => ({ m, ...i })));
      await fc.assert(
        fc.asyncProperty(target, caller, fc.oneof(typedString, fc.constantFrom(...TYPICAL.region!, ...TYPICAL.zone!)), async ({ m, subcommand, options, defs }, who, value) => {
          const focusable = defs.filter((o) => o.autocomplete);
          const name = focusable[value.length % Math.max(1, focusable.length)]?.name ?? 'region';
          const input: AutocompleteInput = { interactionId: 'a', name: m.definition.name, subcommand, options: { ...options, [name]: value }, ...who, focused: { name, value } };
          const choices = await settle(() => m.autocomplete!(input, deps));
          if (!choices) return;
          for (const c of choices) {
            expect(typeof c.name).toBe('string');
            expect(typeof c.value).toBe('string');
          }
        }),
        runs(150),
      );
    },
    testTimeout(),
  );

  it(
    'buttons: a forged or stale custom id gets a reply or a UserError',
    async () => {
      const withButtons = COMMANDS.filter((m) => m.button);
      if (withButtons.length === 0) return;
      const forged = fc.tuple(
        fc.constantFrom(...withButtons),
        fc.array(fc.oneof(fc.constantFrom('p', 's', 'x', '1', '0', '-1', '99999', USERS[0]!, USERS[1]!, 'abcdefgh', 'k'.repeat(32), ''), fc.string({ maxLength: 10 }).map(wellFormed)), { maxLength: 6 }),
      );
      await fc.assert(
        fc.asyncProperty(forged, caller, async ([m, parts], who) => {
          const press: ButtonInput = { ...who, customId: [m.definition.name, ...parts].join(':').slice(0, 100) };
          const r = await settle(() => m.button!(press, deps));
          if (r) for (const part of ['update', 'reply', 'followUp'] as const) if (part in r) checkReply((r as Record<string, Reply>)[part]!);
        }),
        runs(150),
      );
    },
    testTimeout(),
  );
});
