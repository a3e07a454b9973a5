// Lint: typescript-eslint's recommended rules plus the architecture's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * Each element (a folder of src/, commands/, or src/index.ts) and the elements it may import.
 * Dependencies point inward (see README, Architecture); anything not listed is refused.
 */
const layers = {
  domain: [],
  shared: ['domain'],
  config: ['domain', 'shared'],
  text: ['domain', 'shared'],
  feeds: ['domain', 'shared', 'text'],
  // The pure search stage (tokens, query syntax, checks, snippets) sits under the store: the
  // engines that run SQL live in store/ and use it.
  search: ['domain', 'shared', 'text'],
  store: ['domain', 'shared', 'text', 'search'],
  ingest: ['domain', 'shared', 'text', 'feeds', 'store', 'search'],
  // Discord's shapes and limits: pure rendering on top of the inner layers.
  presentation: ['domain', 'shared', 'text'],
  delivery: ['domain', 'shared', 'text', 'store', 'search', 'presentation'],
  discord: ['domain', 'shared', 'text', 'presentation', 'delivery'],
  commands: ['domain', 'shared', 'text', 'presentation', 'delivery'],
  scheduler: ['domain', 'shared', 'text', 'feeds', 'store', 'search', 'ingest', 'presentation', 'delivery'],
  // Composition: builds every part; only the entry points (cli, index) sit above it.
  app: ['domain', 'shared', 'config', 'text', 'feeds', 'store', 'search', 'ingest', 'presentation', 'delivery', 'discord', 'commands', 'scheduler'],
  cli: ['domain', 'shared', 'config', 'text', 'feeds', 'store', 'search', 'ingest', 'presentation', 'delivery', 'discord', 'commands', 'scheduler', 'app'],
  index: ['domain', 'shared', 'config', 'text', 'feeds', 'store', 'search', 'ingest', 'presentation', 'delivery', 'discord', 'commands', 'scheduler', 'app'],
};
/**
 * Type-only imports allowed on top of `layers`: a port or an input shape declared on the side that
 * owns it, used by a layer that must not run that side's code. Types are checked like values, so
 * e.g. a store type cannot leak into text/ and an app type cannot leak anywhere.
 */
const typeOnly = {
  presentation: ['store'], // renders the store's story rows
  commands: ['store', 'search'], // handlers are typed by the repositories and search they are given
  discord: ['commands'], // the interaction router dispatches to the command definitions
};
// Every folder is an element; src/index.ts is one file, so a file descriptor classifies it.
const element = (type) => ({ type, pattern: type === 'commands' ? 'commands' : `src/${type}`, partialMatch: false });
const entity = (type) => (type === 'index' ? { file: { categories: 'index' } } : { element: { type } });
/** External packages that only one element may import (their types included). */
const only = (sources, insideType, what) => [
  {
    disallow: { to: { module: { origin: 'external', source: sources } } },
    message: `Only src/${insideType} imports ${what} ({{to.module.source}}); dependencies point inward.`,
  },
  { from: entity(insideType), allow: { to: { module: { origin: 'external', source: sources } } } },
];
const name = (side) => `{{#if ${side}.element.type}}{{${side}.element.type}}{{else}}{{${side}.file.categories}}{{/if}}`;

const architecture = {
  files: ['src/**/*.{ts,mts,js,mjs}', 'commands/**/*.ts'],
  plugins: { boundaries, 'import-x': importX },
  settings: {
    'boundaries/root-path': import.meta.dirname,
    'boundaries/elements': Object.keys(layers).filter((type) => type !== 'index').map(element),
    'boundaries/files': [{ category: 'index', pattern: 'src/index.ts' }],
    // `export … from` and `import()` are dependencies too, not only `import` declarations.
    'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
    // Sources say `./x.js` for `./x.ts` (NodeNext): the TypeScript resolver maps them.
    'import/resolver': { typescript: { project: `${import.meta.dirname}/tsconfig.json` } },
    'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${import.meta.dirname}/tsconfig.json` })],
    // no-cycle follows imports through the files it parses: TypeScript ones included.
    'import-x/extensions': ['.ts', '.mts', '.js', '.mjs'],
    'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] },
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        // External packages go through the same policies, so a driver can be kept inside one layer.
        checkAllOrigins: true,
        message: `${name('from')} must not import ${name('to')} ({{dependency.kind}} import; dependencies point inward: see the table in eslint.config.js).`,
        policies: [
          { allow: { to: { module: { origin: ['external', 'core'] } } } },
          ...Object.entries(layers)
            .filter(([, allowed]) => allowed.length > 0)
            .map(([type, allowed]) => ({ from: entity(type), allow: { to: { element: { types: allowed } } } })),
          ...Object.entries(typeOnly).map(([type, allowed]) => ({
            from: entity(type),
            allow: { to: { element: { types: allowed } }, dependency: { kind: 'type' } },
          })),
          ...only(['better-sqlite3', 'pg', 'pg-*', 'postgres'], 'store', 'a database driver'),
          ...only(['discord.js', '@discordjs/*'], 'discord', 'discord.js'),
        ],
      },
    ],
    // A new folder must be given a place in the table above before its code is checked.
    'boundaries/no-unknown-files': 'error',
    // A cycle makes start-up order depend on who is imported first; type-only imports carry no code.
    'import-x/no-cycle': ['error', { ignoreExternal: true }],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '.bench-cache/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config reads the environment.' }],
    },
  },
  architecture,
  {
    files: ['src/config/**', 'tests/**', 'bench/**', 'eval/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  { files: ['tests/**', 'bench/**', 'eval/**'], rules: { 'max-lines': 'off' } },
);
