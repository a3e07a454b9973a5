import pino from 'pino';
import { scrubString, scrubValue } from './redact.js';

export type Logger = pino.Logger;

// Anything that could hold a secret is censored wherever it appears in a log object; the
// formatters below also scrub tokens out of strings (URLs in discord.js errors, messages).
const REDACT = ['token', '*.token', '*.*.token', 'authorization', '*.authorization', 'headers.authorization', 'config.discord.token'];

/** Structured logs to stderr (or `destination`, for tests), so stdout stays clean for CLI output. */
export function createLogger(level: pino.LevelWithSilent = 'info', name = 'xiangxun', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      // Errors are made plain data by the hook below (own fields, causes, scrubbed); pino's
      // own serializer would rename their type to "Object".
      serializers: { err: (e: unknown) => e },
      formatters: { bindings: (b) => scrubValue(b) as Record<string, unknown> },
      hooks: {
        // Every argument, message included, before pino looks at it.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          const clean: unknown[] =
            first instanceof Error
              ? [{ err: scrubValue(first) }, ...(typeof rest[0] === 'string' ? [] : [scrubString(first.message)])]
              : [scrubValue(first)];
          for (const a of rest) clean.push(typeof a === 'string' ? scrubString(a) : scrubValue(a));
          return method.apply(this, clean as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
