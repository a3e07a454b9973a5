// Cache keys made from source files (benchmark corpora, the abuse soak's seeded database).

/**
 * A module's source without its import statements: what it does, not where its parts live. A
 * file moving to another folder changes its imports and nothing it writes, so a cache keyed on
 * it stays valid.
 */
export const withoutImports = (source: string): string => source.replace(/^import\b[^;]*;\n?/gmu, '');
