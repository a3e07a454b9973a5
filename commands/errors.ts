import type { Localized } from './i18n.js';

/** A problem the user can fix: shown to them, ephemerally, in their language. */
export class UserError extends Error {
  constructor(
    readonly text: Localized,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(text.en);
    this.name = 'UserError';
  }
}
