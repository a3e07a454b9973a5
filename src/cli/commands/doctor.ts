// `xiangxun doctor`: the set-up mistakes operators make, one line per check with the fix.
// Checks that need a token are skipped without one; everything else still runs.
import { definitions } from '../../../commands/index.js';
import { createDiscordProbe, ProbeError, type DiscordProbe } from '../../discord/doctor-probe.js';
import { inspectDatabase, type DatabaseInspection } from '../../store/inspect.js';
import { redactDatabaseUrl } from '../../store/pg/connection.js';
import { inspectPostgres } from '../../store/pg/inspect.js';
import { parseArgs, type CliCommand, type CliContext } from '../context.js';
import { checkFeeds } from './feeds-probe.js';

type Status = 'ok' | 'warn' | 'fail' | 'skip';
interface Check {
  readonly name: string;
  readonly status: Status;
  readonly detail: string;
  readonly fix?: string;
}

const MARK: Record<Status, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };
const MB = 1024 * 1024;

const explain = (e: unknown): string => (e instanceof ProbeError ? (e.status ? `Discord answered ${e.status}${e.code ? ` (code ${e.code})` : ''}: ${e.message}` : e.message) : (e as Error).message);

async function discordChecks(ctx: CliContext, probe: DiscordProbe | null, channels: ReadonlyArray<{ channelId: string }>): Promise<Check[]> {
  const { applicationId, devGuildId } = ctx.config.discord;
  if (!probe) {
    const skip = (name: string): Check => ({ name, status: 'skip', detail: 'needs DISCORD_TOKEN' });
    return [
      { name: 'token', status: 'fail', detail: 'DISCORD_TOKEN is not set', fix: 'copy the bot token from the developer portal (Bot → Reset Token) into DISCORD_TOKEN in .env' },
      skip('application id'),
      skip('commands'),
      skip('channels'),
    ];
  }
  const out: Check[] = [];
  let botId: string;
  try {
    const me = await probe.me();
    botId = me.id;
    out.push({ name: 'token', status: 'ok', detail: `valid: the bot is ${me.username} (${me.id})` });
  } catch (e) {
    const bad = e instanceof ProbeError && e.status === 401;
    out.push({ name: 'token', status: 'fail', detail: bad ? 'Discord refused the token (401)' : explain(e), fix: bad ? 'reset the token in the developer portal and update DISCORD_TOKEN' : 'check the network and DISCORD_API_BASE' });
    return [...out, { name: 'application id', status: 'skip', detail: 'needs a valid token' }, { name: 'commands', status: 'skip', detail: 'needs a valid token' }, { name: 'channels', status: 'skip', detail: 'needs a valid token' }];
  }
  let appOk = false;
  try {
    const app = await probe.application();
    if (!applicationId) out.push({ name: 'application id', status: 'fail', detail: 'DISCORD_APPLICATION_ID is not set', fix: `set DISCORD_APPLICATION_ID=${app.id}` });
    else if (app.id !== applicationId) out.push({ name: 'application id', status: 'fail', detail: `the token belongs to application ${app.id}, not DISCORD_APPLICATION_ID`, fix: `set DISCORD_APPLICATION_ID=${app.id}, or use that application's token` });
    else {
      appOk = true;
      out.push({ name: 'application id', status: 'ok', detail: `${app.name} (${app.id})` });
    }
  } catch (e) {
    out.push({ name: 'application id', status: 'fail', detail: explain(e) });
  }
  if (appOk) {
    const wanted = definitions().map((d) => d.name);
    try {
      const have = new Set(await probe.commandNames(applicationId!, devGuildId));
      const missing = wanted.filter((n) => !have.has(n));
      const scope = devGuildId ? `in guild ${devGuildId}` : 'globally';
      out.push(
        missing.length === 0
          ? { name: 'commands', status: 'ok', detail: `all ${wanted.length} registered ${scope}` }
          : { name: 'commands', status: 'fail', detail: `${wanted.length - missing.length} of ${wanted.length} registered ${scope}; missing: ${missing.map((n) => `/${n}`).join(' ')}`, fix: 'run npm run deploy-commands (or start once with REGISTER_COMMANDS=true)' },
      );
    } catch (e) {
      out.push({ name: 'commands', status: 'fail', detail: explain(e), fix: 'check DISCORD_APPLICATION_ID and DISCORD_DEV_GUILD_ID (the bot must be in that guild)' });
    }
  } else out.push({ name: 'commands', status: 'skip', detail: 'needs the right application id' });

  if (channels.length === 0) out.push({ name: 'channels', status: 'ok', detail: 'no subscribed channels yet' });
  for (const { channelId } of channels) {
    const name = `channel ${channelId}`;
    try {
      const r = await probe.channelAccess(channelId, botId);
      if (r.status === 'ok') out.push({ name, status: 'ok', detail: `#${r.name}: may view, send and embed` });
      else if (r.status === 'missing') out.push({ name, status: 'fail', detail: `#${r.name}: missing ${r.missing.join(', ')}`, fix: `give the bot's role ${r.missing.join(', ')} in #${r.name} (channel settings → permissions)` });
      else if (r.status === 'gone') out.push({ name, status: 'fail', detail: 'the channel no longer exists', fix: 'remove its subscriptions with /region unsubscribe' });
      else out.push({ name, status: 'fail', detail: 'the bot cannot see the channel (no access)', fix: "give the bot's role View Channel there, or unsubscribe the channel" });
    } catch (e) {
      out.push({ name, status: 'fail', detail: explain(e) });
    }
  }
  return out;
}

async function rsshubCheck(ctx: CliContext): Promise<Check> {
  const base = ctx.config.rsshubBase;
  try {
    const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(Math.min(ctx.config.fetch.timeoutMs, 10_000)), redirect: 'manual' });
    await res.body?.cancel();
    if (res.status >= 500) return { name: 'rsshub', status: 'fail', detail: `${base} answered ${res.status}`, fix: 'look at the RSSHub logs; restart it' };
    return { name: 'rsshub', status: 'ok', detail: `${base} reachable (${res.status})` };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    return { name: 'rsshub', status: 'fail', detail: `${base} not reachable (${cause})`, fix: 'start RSSHub (see README, "Running RSSHub") or point RSSHUB_BASE at yours' };
  }
}

async function databaseChecks(ctx: CliContext): Promise<{ checks: Check[]; channels: ReadonlyArray<{ channelId: string; guildId: string }> }> {
  const url = ctx.config.databaseUrl;
  // On Postgres the place is the server (password hidden), and its disk is the server's to watch.
  const path = url ? redactDatabaseUrl(url) : ctx.config.databasePath;
  const db: DatabaseInspection = url ? await inspectPostgres(url) : inspectDatabase(path);
  const checks: Check[] = [];
  if (!db.exists) checks.push({ name: 'database', status: 'ok', detail: `${path} ${url ? 'has no schema yet' : 'does not exist yet'}; the bot creates it at start` });
  else if (db.error && url) checks.push({ name: 'database', status: 'fail', detail: db.error, fix: 'check DATABASE_URL (host, port, user, password, database) and that the server runs' });
  else if (db.error) checks.push({ name: 'database', status: 'fail', detail: `${path} cannot be read (${db.error})`, fix: 'check DATABASE_PATH and the file; restore a backup with xiangxun db restore' });
  else {
    if (db.check !== 'ok') checks.push({ name: 'database', status: 'fail', detail: `integrity check failed: ${db.check}`, fix: 'stop the bot and restore a backup (xiangxun db restore FILE)' });
    else if (db.schema! > db.known) checks.push({ name: 'database', status: 'fail', detail: `schema ${db.schema} is newer than this program (${db.known})`, fix: 'upgrade xiangxun' });
    else if (db.schema! < db.known) checks.push({ name: 'database', status: 'warn', detail: `schema ${db.schema}, this program's is ${db.known}`, fix: 'run xiangxun db migrate (the bot also migrates at start)' });
    else checks.push({ name: 'database', status: 'ok', detail: `${path}: ${url ? 'answers' : 'integrity ok'}, schema ${db.schema}` });
  }
  if (db.freeBytes !== null) {
    const free = Math.floor(db.freeBytes / MB);
    checks.push(
      free < 100 ? { name: 'disk', status: 'fail', detail: `${free} MB free`, fix: 'free disk space: SQLite needs room to write (see xiangxun db optimize --retain)' }
      : free < 1024 ? { name: 'disk', status: 'warn', detail: `${free} MB free`, fix: 'free some disk space soon' }
      : { name: 'disk', status: 'ok', detail: `${(free / 1024).toFixed(1)} GB free` },
    );
  }
  return { checks, channels: db.channels };
}

export const doctorCommand: CliCommand = {
  path: ['doctor'],
  usage: 'doctor [--feeds]',
  summary: 'check the set-up: token, application, commands, RSSHub, database, disk, channels (and --feeds)',
  async run(args, ctx) {
    const { flags } = parseArgs(args, { flags: ['feeds'] });
    const { token, apiBase } = ctx.config.discord;
    const { checks: dbChecks, channels } = await databaseChecks(ctx);
    const probe = token ? createDiscordProbe({ token, apiBase }) : null;
    const checks: Check[] = [...(await discordChecks(ctx, probe, channels)), await rsshubCheck(ctx), ...dbChecks];
    if (flags.has('feeds')) {
      const feeds = await checkFeeds(ctx);
      for (const f of feeds.failed) {
        const where = f.guild ? 'a server added it: its moderators can /feeds remove it' : 'fix or remove it in FEEDS_FILE';
        checks.push({ name: `feed ${f.id}`, status: 'fail', detail: f.error, fix: `xiangxun feeds check --feed ${f.id} for details; ${where}` });
      }
      checks.push({ name: 'feeds', status: feeds.failed.length === 0 ? 'ok' : 'fail', detail: `${feeds.total - feeds.failed.length} of ${feeds.total} enabled feeds fetched and parsed` });
    }
    for (const c of checks) {
      ctx.out(`${MARK[c.status]} ${c.name.padEnd(16)} ${c.detail}`);
      if (c.fix && (c.status === 'fail' || c.status === 'warn')) ctx.out(`  ${' '.repeat(16)} fix: ${c.fix}`);
    }
    const failed = checks.filter((c) => c.status === 'fail').length;
    ctx.out(failed === 0 ? '\nAll checks passed.' : `\n${failed} check${failed === 1 ? '' : 's'} failed.`);
    return failed === 0 ? 0 : 1;
  },
};
