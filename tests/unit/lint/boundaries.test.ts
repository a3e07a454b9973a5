// The architecture lint (eslint.config.js) must refuse what breaks the layering: an import that
// points outward (value or type), a driver or discord.js outside its layer, a file outside every
// element, and an import cycle; and it must let a legal inward import through. Run through
// ESLint's Node API on small texts, so a config that silently stops checking fails here.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const configFile = join(root, 'eslint.config.js');

let eslint: ESLint;
beforeAll(() => {
  // The cycle rule walks the real import graph behind every probe (slow, and not what these
  // cases are about); it has its own case below with the whole config.
  eslint = new ESLint({ cwd: root, overrideConfigFile: configFile, overrideConfig: { rules: { 'import-x/no-cycle': 'off' } } });
});

/** The rule ids and messages ESLint reports for `code` as if it were the file at `filePath`. */
async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

describe('boundaries lint', () => {
  it('refuses an upward value import (text importing store)', async () => {
    const found = await lint('src/text/probe.ts', "import { openDatabase } from '../store/database.js';\nexport const x = openDatabase;\n");
    expect(found).toEqual([expect.stringMatching(/^boundaries\/dependencies: text must not import store \(value import/)]);
  });

  it('refuses an upward type-only import too (type imports are checked)', async () => {
    const found = await lint('src/text/probe.ts', "import type { StoryView } from '../store/articles-repo.js';\nexport type X = StoryView;\n");
    expect(found).toEqual([expect.stringMatching(/^boundaries\/dependencies: text must not import store \(type import/)]);
  });

  it('refuses a re-export and a dynamic import that point outward', async () => {
    const reexport = await lint('src/text/probe.ts', "export { openDatabase } from '../store/database.js';\n");
    const dynamic = await lint('src/shared/probe.ts', "export const load = () => import('../app/bot.js');\n");
    expect(reexport).toEqual([expect.stringMatching(/text must not import store/)]);
    expect(dynamic).toEqual([expect.stringMatching(/shared must not import app/)]);
  });

  it('refuses the inner layers importing the entry point and cli importing nothing it may not', async () => {
    expect(await lint('src/store/probe.ts', "import './../index.js';\n")).toEqual([expect.stringMatching(/store must not import index/)]);
    expect(await lint('src/app/probe.ts', "import { main } from '../cli/main.js';\nexport const x = main;\n")).toEqual([
      expect.stringMatching(/app must not import cli/),
    ]);
  });

  it('keeps better-sqlite3 (value or type) inside src/store', async () => {
    const value = await lint('src/ingest/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n");
    const type = await lint('src/search/probe.ts', "import type { Database } from 'better-sqlite3';\nexport type X = Database;\n");
    const pg = await lint('src/scheduler/probe.ts', "import pg from 'pg';\nexport const x = pg;\n");
    for (const found of [value, type, pg]) expect(found).toEqual([expect.stringMatching(/^boundaries\/dependencies: Only src\/store imports a database driver/)]);
    expect(await lint('src/store/probe.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n")).toEqual([]);
  });

  it('keeps discord.js and @discordjs/* inside src/discord', async () => {
    const found = await lint('src/delivery/probe.ts', "import { Client } from 'discord.js';\nimport { REST } from '@discordjs/rest';\nexport const x = [Client, REST];\n");
    expect(found).toEqual([
      expect.stringMatching(/Only src\/discord imports discord\.js \(discord\.js\)/),
      expect.stringMatching(/Only src\/discord imports discord\.js \(@discordjs\/rest\)/),
    ]);
    expect(await lint('src/discord/probe.ts', "import { Client } from 'discord.js';\nexport const x = Client;\n")).toEqual([]);
  });

  it('refuses a file in a folder that is no element', async () => {
    expect(await lint('src/elsewhere/probe.ts', 'export const x = 1;\n')).toEqual([expect.stringMatching(/^boundaries\/no-unknown-files:/)]);
  });

  it('lets legal imports through: inward values, declared type-only ports, packages', async () => {
    const inward = "import { openDatabase } from '../store/database.js';\nimport { z } from 'zod';\nimport { readFileSync } from 'node:fs';\nexport const x = [openDatabase, z, readFileSync];\n";
    expect(await lint('src/ingest/probe.ts', inward)).toEqual([]);
    expect(await lint('commands/probe.ts', "import type { FeedState } from '../src/store/feeds-repo.js';\nexport type X = FeedState;\n")).toEqual([]);
    // …but a type-only port does not open the door to the layer's code.
    expect(await lint('commands/probe.ts', "import { openDatabase } from '../src/store/database.js';\nexport const x = openDatabase;\n")).toEqual([
      expect.stringMatching(/commands must not import store \(value import/),
    ]);
  });
});

describe('cycle lint', () => {
  // no-cycle follows imports on disk, so the two files of the cycle are real files, in a
  // directory of their own (never inside src/, where others are linting).
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xiangxun-cycle-'));
    mkdirSync(join(dir, 'src/text'), { recursive: true });
    writeFileSync(join(dir, 'src/text/a.ts'), "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    writeFileSync(join(dir, 'src/text/b.ts'), "import { a } from './a.js';\nexport const b = (): number => (typeof a === 'function' ? 1 : 0);\n");
    writeFileSync(join(dir, 'src/text/c.ts'), "import { b } from './b.js';\nexport const c = (): number => b();\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a value-import cycle and not a plain chain', async () => {
    const cyclic = new ESLint({ cwd: dir, overrideConfigFile: configFile });
    const results = await cyclic.lintFiles(['src/text/a.ts', 'src/text/c.ts']);
    const rules = (name: string) => results.find((r) => r.filePath.endsWith(name))?.messages.map((m) => m.ruleId) ?? [];
    expect(rules('a.ts')).toContain('import-x/no-cycle');
    expect(rules('c.ts')).not.toContain('import-x/no-cycle');
  });
});
