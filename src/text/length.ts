// Lengths as readers and Discord count them: in code points. `.length` counts UTF-16
// units, so an emoji or an astral Han character (𠀀) would count twice and a naive
// slice could cut it in half.

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Number of code points; a lone surrogate counts as one. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (isLow(s.charCodeAt(i)) && i > 0 && isHigh(s.charCodeAt(i - 1))) continue;
    n++;
  }
  return n;
}

/** UTF-16 index where the code point number `count` starts (or s.length). */
export function codePointOffset(s: string, count: number): number {
  let i = 0;
  for (let seen = 0; seen < count && i < s.length; seen++) {
    i += isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/**
 * At most `max` code points, the ellipsis included when the text had to be cut (pass
 * '…' to get one). Never splits a surrogate pair and drops a dangling zero-width joiner,
 * so a cut emoji sequence does not glue itself to the ellipsis.
 */
export function truncateCodePoints(s: string, max: number, ellipsis = ''): string {
  const limit = Math.max(0, Math.floor(max));
  if (codePointLength(s) <= limit) return s;
  const room = limit - codePointLength(ellipsis);
  if (room <= 0) return truncateCodePoints(ellipsis, limit);
  let cut = s.slice(0, codePointOffset(s, room));
  while (cut.endsWith('\u200d')) cut = cut.slice(0, -1);
  return cut + ellipsis;
}
