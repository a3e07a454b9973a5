// Lint: typescript-eslint's recommended rules plus the architecture's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (name) => [`**/${name}/**`, `../${name}/*`, `../../${name}/*`, `../../src/${name}/*`];
const discordLibs = ['discord.js', '@discordjs/*'];

/** Each layer may import only what points inward (see README, Architecture). */
const boundaries = {
  'src/domain': ['config', 'shared', 'feeds', 'text', 'ingest', 'store', 'search', 'presentation', 'delivery', 'discord', 'scheduler', 'cli', 'commands'],
  'src/shared': ['config', 'feeds', 'text', 'ingest', 'store', 'search', 'presentation', 'delivery', 'discord', 'scheduler', 'cli', 'commands'],
  'src/text': ['config', 'feeds', 'ingest', 'store', 'search', 'presentation', 'delivery', 'discord', 'scheduler', 'cli', 'commands'],
  'src/feeds': ['config', 'ingest', 'store', 'search', 'presentation', 'delivery', 'discord', 'scheduler', 'cli', 'commands'],
  'src/store': ['config', 'feeds', 'ingest', 'search', 'presentation', 'delivery', 'discord', 'scheduler', 'cli', 'commands'],
  'src/search': ['config', 'feeds', 'ingest', 'presentation', 'delivery', 'discord', 'scheduler', 'cli', 'commands'],
  'src/ingest': ['config', 'presentation', 'delivery', 'discord', 'scheduler', 'cli', 'commands'],
  // Discord's shapes and limits: may read domain, shared, text and store types, nothing outward.
  'src/presentation': ['config', 'feeds', 'ingest', 'store', 'search', 'delivery', 'discord', 'scheduler', 'app', 'cli', 'commands'],
  'src/delivery': ['config', 'feeds', 'ingest', 'discord', 'scheduler', 'cli', 'commands'],
  'src/discord': ['config', 'feeds', 'ingest', 'store', 'search', 'scheduler', 'cli', 'commands'],
  'src/scheduler': ['config', 'discord', 'cli', 'commands'],
  commands: ['config', 'feeds', 'ingest', 'store', 'search', 'scheduler', 'cli', 'discord'],
};

const boundaryConfigs = Object.entries(boundaries).map(([dir, banned]) => ({
  files: [`${dir}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          // Type-only imports carry no code: ports and inputs may be declared on the outer side.
          { group: banned.flatMap(layer), allowTypeImports: true, message: `${dir} must not import this layer (dependencies point inward).` },
          ...(dir === 'src/discord' ? [] : [{ group: discordLibs, message: 'Only src/discord imports discord.js.' }]),
        ],
      },
    ],
  },
}));

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
  ...boundaryConfigs,
  {
    files: ['src/config/**', 'tests/**', 'bench/**', 'eval/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  { files: ['tests/**', 'bench/**', 'eval/**'], rules: { 'max-lines': 'off' } },
);
