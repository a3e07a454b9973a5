import { fileURLToPath } from 'node:url';

/** Files that ship with the package, found relative to it rather than the working directory. */
export const packageFile = (relative: string): string => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
