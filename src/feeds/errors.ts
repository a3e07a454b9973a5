// One error type for everything that can go wrong between a feed URL and parsed items.
// The kind drives retry and pause decisions; the message ends up in front of server admins,
// so it must be short, human and free of secrets, stack traces and response bodies.

export type FeedErrorKind =
  | 'timeout'
  | 'http'
  | 'too-large'
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'network'
  | 'blocked'
  | 'decode'
  | 'malformed'
  | 'not-a-feed';

export class FeedError extends Error {
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'FeedError';
  }
}

export const isFeedError = (e: unknown): e is FeedError => e instanceof FeedError;

// The XML parser's complaints, in words an admin can act on. Anything not listed here is
// summarised without quoting it: a parser's or JavaScript's own message never reaches users.
const XML_PROBLEMS: Array<[RegExp, string]> = [
  [/^Unclosed root tag|^Unexpected end/i, 'it ends before the feed is closed (cut off?)'],
  [/^Unmatched closing tag|^Unexpected close tag|closing tag/i, 'a closing tag does not match the tag it closes'],
  [/^Text data outside of root node/i, 'there is text after the end of the feed'],
  [/^Non-whitespace before first tag/i, 'there is text before the first tag'],
  [/entity/i, 'it has an "&" that does not start a valid entity'],
  [/^Unencoded </i, 'it has a "<" that does not start a tag'],
  [/attribute|whitespace between attributes/i, 'a tag has a malformed attribute'],
  [/tag ?name|Weird empty close tag/i, 'a tag has an invalid name'],
  [/comment/i, 'it has a malformed comment'],
  [/Max buffer length/i, 'one piece of text in it is too long'],
];

/** "the feed is not well-formed XML: <what is wrong>", from an XML parser's error. */
export function xmlProblemInWords(e: unknown): string {
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  const found = XML_PROBLEMS.find(([re]) => re.test(message.trim()));
  return `the feed is not well-formed XML: ${found ? found[1] : 'its markup is broken'}`;
}
