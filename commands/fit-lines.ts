// Fitting a list into one Discord text field; shared by several commands, so it lives apart
// from any one of them (a helper in feeds.ts made feeds, feeds-manage and feeds-opml import each other).

/**
 * As many lines as fit in `max` characters (UTF-16 units, never fewer than Discord's count),
 * closing with `more(n)` when some had to be left out.
 */
export function fitLines(lines: readonly string[], max: number, more: (n: number) => string): { text: string; shown: number } {
  const reserve = more(lines.length).length + 1;
  let size = 0;
  let shown = 0;
  for (const line of lines) {
    const room = shown === lines.length - 1 ? max : max - reserve;
    if (size + line.length + 1 > room) break;
    size += line.length + 1;
    shown++;
  }
  const kept = lines.slice(0, shown);
  if (shown < lines.length) kept.push(more(lines.length - shown));
  return { text: kept.join('\n'), shown };
}
