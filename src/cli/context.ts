import type { Config } from '../config/config.js';
import type { Logger } from '../shared/logger.js';

/** What every CLI command receives: no command reads the environment itself. */
export interface CliContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export interface CliCommand {
  /** Words that select it, e.g. ['db', 'migrate']. */
  readonly path: readonly string[];
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[], ctx: CliContext): Promise<number>;
}

/** Thrown for bad arguments: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** Minimal flag parsing: `--name value`, `--flag`, positionals. */
export function parseArgs(
  args: readonly string[],
  spec: { readonly flags?: readonly string[]; readonly options?: readonly string[] },
): { positionals: string[]; flags: Set<string>; options: Map<string, string> } {
  const positionals: string[] = [];
  const flags = new Set<string>();
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.flags?.includes(name)) flags.add(name);
    else if (spec.options?.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return { positionals, flags, options };
}
