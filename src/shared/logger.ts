import pino from 'pino';

export type Logger = pino.Logger;

// Anything that could hold a secret is censored wherever it appears in a log object.
const REDACT = ['token', '*.token', '*.*.token', 'authorization', '*.authorization', 'headers.authorization', 'config.discord.token'];

/** Structured logs to stderr, so stdout stays clean for CLI output. */
export function createLogger(level: pino.LevelWithSilent = 'info', name = 'xiangxun'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination(2));
}

export const silentLogger: Logger = pino({ level: 'silent' });
