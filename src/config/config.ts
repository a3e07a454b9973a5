import { z } from 'zod';
import cron from 'node-cron';

/** Raised when the environment is wrong. Names variables, never their values. */
export class ConfigError extends Error {
  constructor(readonly variables: readonly string[], detail: string) {
    super(detail);
    this.name = 'ConfigError';
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const snowflake = z.preprocess(emptyToUndefined, z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)').optional());

/**
 * SHARD_IDS: the shards this process runs, as ids and ranges (`0,1`, `0-3`, `0,4-7`). Checked
 * against SHARD_COUNT in the schema's refinement, since only together do they say anything.
 */
const shardIds = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .transform((text, ctx) => {
      const ids = new Set<number>();
      for (const part of text.split(',').map((p) => p.trim())) {
        const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
        const from = Number(m?.[1]);
        const to = m?.[2] === undefined ? from : Number(m[2]);
        if (!m || to < from || to - from >= 65_536) {
          ctx.addIssue({ code: 'custom', message: 'must list shard ids and ranges such as 0,1 or 0-3 (whole numbers from 0, ranges low-high)' });
          return z.NEVER;
        }
        for (let id = from; id <= to; id++) ids.add(id);
      }
      return [...ids].sort((a, b) => a - b);
    })
    .optional(),
);

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const schema = z.object({
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: snowflake,
  DISCORD_API_BASE: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
  DISCORD_DEV_GUILD_ID: snowflake,
  DATABASE_PATH: z.preprocess(emptyToUndefined, z.string().default('data/xiangxun.db')),
  // Only the scheme is checked here, and the value is never echoed: it holds a password.
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => /^postgres(?:ql)?:\/\//iu.test(v), 'must be a postgres:// URL (leave it empty to use SQLite at DATABASE_PATH)')
      .optional(),
  ),
  FEEDS_FILE: z.preprocess(emptyToUndefined, z.string().default('data/feeds.json')),
  RSSHUB_BASE: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:1200')),
  POLL_CRON: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('*/10 * * * *')
      .refine((v) => cron.validate(v), 'is not a valid cron expression (five fields, or six with seconds)'),
  ),
  TZ_DEFAULT: z.preprocess(
    emptyToUndefined,
    z.string().default('Asia/Shanghai').refine(isTimeZone, 'is not an IANA time zone such as Asia/Shanghai'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  ALLOW_PRIVATE_NETWORK: z.preprocess(emptyToUndefined, bool.default(false)),
  FETCH_TIMEOUT_MS: z.preprocess(emptyToUndefined, positiveInt.default(15_000)),
  FETCH_MAX_BYTES: z.preprocess(emptyToUndefined, positiveInt.default(5 * 1024 * 1024)),
  FEED_PAUSE_AFTER_HOURS: z.preprocess(emptyToUndefined, positiveInt.default(24)),
  MAX_ITEM_AGE_HOURS: z.preprocess(emptyToUndefined, nonNegativeInt.default(48)),
  FIRST_POLL_BACKLOG: z.preprocess(emptyToUndefined, nonNegativeInt.default(0)),
  MAX_FEEDS_PER_GUILD: z.preprocess(emptyToUndefined, positiveInt.default(50)),
  RETENTION_DAYS: z.preprocess(emptyToUndefined, nonNegativeInt.default(0)),
  REGISTER_COMMANDS: z.preprocess(emptyToUndefined, bool.default(false)),
  BURST_CAP: z.preprocess(emptyToUndefined, positiveInt.default(10)),
  BURST_WINDOW_MINUTES: z.preprocess(emptyToUndefined, positiveInt.default(10)),
  BOT_URL: z.preprocess(emptyToUndefined, z.url().default('https://github.com/xiangxun/xiangxun')),
  HTTP_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1, 'must be a port number (1–65535)').max(65535, 'must be a port number (1–65535)').optional()),
  HTTP_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  SHARD_COUNT: z.preprocess(emptyToUndefined, positiveInt.optional()),
  SHARD_IDS: shardIds,
}).superRefine((e, ctx) => {
  if (!e.SHARD_IDS) return;
  // Processes that split the shards must agree on the total, and Discord's recommendation can
  // change between their start-ups: a subset therefore needs SHARD_COUNT.
  if (e.SHARD_COUNT === undefined) {
    ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: 'needs SHARD_COUNT, the total number of shards that every process of the bot uses' });
    return;
  }
  const outside = e.SHARD_IDS.filter((id) => id >= e.SHARD_COUNT!);
  if (outside.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: `names shard ${outside.slice(0, 3).join(', ')}, but SHARD_COUNT=${e.SHARD_COUNT} has shards 0–${e.SHARD_COUNT - 1}` });
  }
  // Checked even when other variables are wrong (so all problems show at once), as long as
  // both shard variables parsed.
}, { when: (p) => !p.issues.some((i) => i.path?.[0] === 'SHARD_COUNT' || i.path?.[0] === 'SHARD_IDS') });

/** Every variable the configuration reads (container files are checked against it). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(schema.shape));

export type Config = Readonly<{
  discord: Readonly<{
    token: string | undefined;
    applicationId: string | undefined;
    apiBase: string | undefined;
    devGuildId: string | undefined;
    /**
     * Gateway shards: `count` null uses Discord's recommended number (all shards in this
     * process); `ids` null runs every shard of `count`, else only these (several processes).
     */
    shards: Readonly<{ count: number | null; ids: readonly number[] | null }>;
  }>;
  databasePath: string;
  /** A postgres:// URL selects the Postgres store (issue #16); null: SQLite at databasePath. */
  databaseUrl: string | null;
  feedsFile: string;
  rsshubBase: string;
  pollCron: string;
  timeZone: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  allowPrivateNetwork: boolean;
  fetch: Readonly<{ timeoutMs: number; maxBytes: number; userAgent: string }>;
  feedPauseAfterMs: number;
  maxItemAgeMs: number;
  firstPollBacklog: number;
  /** Feeds one server may add with /feeds add or import. */
  maxFeedsPerGuild: number;
  /** Articles older than this are deleted with their index rows; 0 keeps everything. */
  retentionMs: number;
  /** Posts per channel per window; more are rolled into one digest message. */
  burst: Readonly<{ cap: number; windowMs: number }>;
  /** Register the slash commands when the bot starts (otherwise: npm run deploy-commands). */
  registerCommands: boolean;
  /** Health and metrics endpoints; null unless HTTP_PORT is set. */
  http: Readonly<{ port: number; host: string }> | null;
}>;

const deepFreeze = <T extends object>(o: T): T => {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
};

/** Validates the environment once. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))];
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0] ?? '?')}: ${i.message}`);
    throw new ConfigError(names, `Invalid configuration:\n${[...new Set(lines)].join('\n')}`);
  }
  const e = parsed.data;
  return deepFreeze({
    discord: {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      apiBase: e.DISCORD_API_BASE,
      devGuildId: e.DISCORD_DEV_GUILD_ID,
      shards: { count: e.SHARD_COUNT ?? null, ids: e.SHARD_IDS ?? null },
    },
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL ?? null,
    feedsFile: e.FEEDS_FILE,
    rsshubBase: e.RSSHUB_BASE.replace(/\/+$/, ''),
    pollCron: e.POLL_CRON,
    timeZone: e.TZ_DEFAULT,
    logLevel: e.LOG_LEVEL,
    allowPrivateNetwork: e.ALLOW_PRIVATE_NETWORK,
    fetch: {
      timeoutMs: e.FETCH_TIMEOUT_MS,
      maxBytes: e.FETCH_MAX_BYTES,
      userAgent: `xiangxun/0.1 (+${e.BOT_URL})`,
    },
    feedPauseAfterMs: e.FEED_PAUSE_AFTER_HOURS * 3_600_000,
    maxItemAgeMs: e.MAX_ITEM_AGE_HOURS * 3_600_000,
    firstPollBacklog: e.FIRST_POLL_BACKLOG,
    maxFeedsPerGuild: e.MAX_FEEDS_PER_GUILD,
    retentionMs: e.RETENTION_DAYS * 86_400_000,
    burst: { cap: e.BURST_CAP, windowMs: e.BURST_WINDOW_MINUTES * 60_000 },
    registerCommands: e.REGISTER_COMMANDS,
    http: e.HTTP_PORT === undefined ? null : { port: e.HTTP_PORT, host: e.HTTP_HOST },
  });
}

/** The bot needs Discord credentials; the CLI and demo do not. */
export function requireDiscord(config: Config): { token: string; applicationId: string } {
  const missing = [
    config.discord.token ? null : 'DISCORD_TOKEN',
    config.discord.applicationId ? null : 'DISCORD_APPLICATION_ID',
  ].filter((v): v is string => v !== null);
  if (missing.length > 0) {
    throw new ConfigError(
      missing,
      `Missing ${missing.join(' and ')}. The bot needs a Discord bot token and application id ` +
        `(see .env.example). To try the pipeline without Discord, run: npm run demo`,
    );
  }
  return { token: config.discord.token!, applicationId: config.discord.applicationId! };
}
