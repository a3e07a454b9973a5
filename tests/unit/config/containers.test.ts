// The container files may only set variables the configuration knows, and .env.example
// documents every one of them: a typo there would be silently ignored at run time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROLES } from '../../../src/app/roles.js';
import { CONFIG_VARIABLES } from '../../../src/config/config.js';

const known = new Set(CONFIG_VARIABLES);

/** ENV instructions of a Dockerfile, continuation lines joined: KEY=value pairs. */
function dockerfileEnv(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const names: string[] = [];
  for (const line of joined.split(/\r?\n/)) {
    const m = /^\s*ENV\s+(.*)$/i.exec(line);
    if (!m) continue;
    for (const pair of m[1]!.trim().split(/\s+/)) names.push(pair.split('=')[0]!);
  }
  return names;
}

describe('container files', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const compose = parse(readFileSync('compose.yaml', 'utf8')) as { services: Record<string, { environment?: Record<string, string> | string[]; build?: unknown; image?: string; healthcheck?: unknown }> };

  it('the Dockerfile sets only known variables, runs as a non-root user and checks /healthz', () => {
    const names = dockerfileEnv(dockerfile).filter((n) => n !== 'NODE_ENV');
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(known.has(n), `${n} is not a configuration variable`).toBe(true);
    expect(dockerfile).toMatch(/^FROM node:20[^\n]* AS build$/m);
    expect(dockerfile).toMatch(/^USER (?!root)\w+/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(dockerfile).toMatch(/^VOLUME/m);
  });

  it('compose starts the bot beside RSSHub and sets only known variables on the bot', () => {
    const bot = Object.values(compose.services).find((s) => s.build !== undefined);
    expect(bot).toBeDefined();
    const env = bot!.environment ?? {};
    const names = Array.isArray(env) ? env.map((e) => e.split('=')[0]!) : Object.keys(env);
    for (const n of names) expect(known.has(n), `${n} is not a configuration variable`).toBe(true);
    const rsshub = Object.entries(compose.services).find(([, s]) => s.image?.startsWith('diygod/rsshub'));
    expect(rsshub).toBeDefined();
    const base = Array.isArray(env) ? env.find((e) => e.startsWith('RSSHUB_BASE='))?.slice(12) : env.RSSHUB_BASE;
    expect(base).toBe(`http://${rsshub![0]}:1200`);
  });

  it('the Postgres compose file runs every role over DATABASE_URL with known variables only', () => {
    type Service = { environment?: Record<string, string>; build?: unknown; image?: string; command?: string[] };
    const pgCompose = parse(readFileSync('compose.postgres.yaml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
    const bots = Object.entries(pgCompose.services).filter(([, s]) => s.build !== undefined);
    const roles = bots.map(([, s]) => s.command ?? []).filter((c) => c.includes('start')).map((c) => c[c.indexOf('--role') + 1]);
    expect(roles.sort()).toEqual(ROLES.filter((r) => r !== 'all').sort());
    for (const [name, s] of bots) {
      for (const n of Object.keys(s.environment ?? {})) expect(known.has(n), `${name}: ${n} is not a configuration variable`).toBe(true);
      expect(s.environment?.DATABASE_URL, name).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//u);
    }
    expect(Object.values(pgCompose.services).some((s) => s.image?.startsWith('postgres:'))).toBe(true);
  });

  it('.env.example documents every configuration variable and nothing else', () => {
    const documented = readFileSync('.env.example', 'utf8')
      .split(/\r?\n/)
      .map((l) => /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined);
    for (const n of CONFIG_VARIABLES) expect(documented, `${n} missing from .env.example`).toContain(n);
    for (const n of documented) expect(known.has(n), `${n} in .env.example is not read`).toBe(true);
  });
});
