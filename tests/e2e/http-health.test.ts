// The real bot process with HTTP_PORT set, against the fake Discord: /healthz, /readyz and
// /metrics end to end, readiness turning 503 when the database file stops taking writes,
// and start-up errors for a port that is taken or invalid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';

let fake: FakeDiscord;
let child: ChildProcess | null = null;
const immutable: string[] = [];

beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  if (immutable.length > 0) spawnSync('chattr', ['-i', ...immutable]);
  child?.kill('SIGKILL');
  await fake?.close();
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function botEnv(dir: string, port: string): NodeJS.ProcessEnv {
  writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ feeds: [] }));
  return {
    ...process.env,
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_BASE: fake.apiBase,
    DATABASE_PATH: join(dir, 'bot.db'),
    FEEDS_FILE: join(dir, 'feeds.json'),
    HTTP_PORT: port,
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
}

function run(env: NodeJS.ProcessEnv): { proc: ChildProcess; output: () => string } {
  let out = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { proc, output: () => out };
}

/** Polls until the predicate holds; the limit is generous because CI machines are slow. */
async function until<T>(fn: () => Promise<T | null>, what: string, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const get = async (port: number, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
};

describe('health and metrics over HTTP', () => {
  it('answers /healthz, /readyz and /metrics, and turns unready when the database cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiangxun-http-'));
    const port = await freePort();
    const bot = run(botEnv(dir, String(port)));
    child = bot.proc;

    const health = await until(async () => ((await get(port, '/healthz')).status === 200 ? true : null), '/healthz');
    expect(health).toBe(true);
    const ready = await until(async () => {
      const r = await get(port, '/readyz');
      return r.status === 200 ? r : null;
    }, '/readyz 200');
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', reasons: [] });

    const metrics = await get(port, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain/);
    for (const series of ['xiangxun_polls_total', 'xiangxun_new_items_total', 'xiangxun_new_stories_total', 'xiangxun_deliveries_total', 'xiangxun_outbox_pending', 'xiangxun_discord_rate_limited_total', 'xiangxun_feeds_paused', 'xiangxun_channels_paused', 'xiangxun_post_delay_seconds_bucket', 'xiangxun_event_loop_delay_ms']) {
      expect(metrics.body).toContain(series);
    }
    // Every series carries the prefix, and nothing secret is in the output.
    for (const line of metrics.body.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line.startsWith('xiangxun_')).toBe(true);
    expect(metrics.body).not.toContain(fake.token);
    expect((await get(port, '/nope')).status).toBe(404);

    // Make the database file and its WAL immutable (root can still not write them); the shared
    // memory file stays writable, as SQLite maps it.
    const db = join(dir, 'bot.db');
    const flagged = spawnSync('chattr', ['+i', db, `${db}-wal`]);
    if (flagged.status !== 0) {
      console.warn('chattr is not available here: the read-only part of this test was not run');
    } else {
      immutable.push(db, `${db}-wal`);
      const down = await until(async () => {
        const r = await get(port, '/readyz');
        return r.status === 503 ? r : null;
      }, '/readyz 503');
      const body = JSON.parse(down.body) as { status: string; reasons: string[] };
      expect(body.status).toBe('not ready');
      expect(body.reasons.join(' ')).toMatch(/database not writable: SQLITE_/);
      expect(down.body).not.toContain(fake.token);
      expect(down.body).not.toContain(dir);
      spawnSync('chattr', ['-i', ...immutable.splice(0)]);
    }
    expect((await get(port, '/healthz')).status).toBe(200);
    bot.proc.kill('SIGTERM');
    await new Promise((r) => bot.proc.once('exit', r));
    child = null;
    expect(bot.output()).not.toContain(fake.token);
  }, 120_000);

  it('refuses to start when HTTP_PORT is taken or invalid, naming the variable', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const taken = String((srv.address() as { port: number }).port);
    try {
      for (const port of [taken, 'eighty', '70000']) {
        const dir = mkdtempSync(join(tmpdir(), 'xiangxun-http-bad-'));
        const bot = run(botEnv(dir, port));
        const code = await new Promise((r) => bot.proc.once('exit', r));
        expect(code).toBe(1);
        expect(bot.output()).toMatch(/HTTP_PORT/);
        expect(bot.output()).not.toContain(fake.token);
      }
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  }, 120_000);
});
