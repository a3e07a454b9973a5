// How long a response says it stays fresh (RFC 9111): polling a feed again before that only
// fetches the copy a cache (RSSHub's, a CDN's) already holds.

/**
 * What is left of the freshness lifetime in ms, or null when the response gives none (or forbids
 * reuse). A copy a cache already held for a while (the Age header) has only the rest left.
 */
export function freshnessMs(h: { cacheControl: string | null; expires: string | null; date: string | null; age?: string | null }): number | null {
  const lifetime = lifetimeMs(h);
  if (lifetime === null) return null;
  const age = Number(h.age ?? 0);
  const left = lifetime - (Number.isFinite(age) && age > 0 ? age * 1000 : 0);
  return left > 0 ? left : null;
}

function lifetimeMs(h: { cacheControl: string | null; expires: string | null; date: string | null }): number | null {
  if (h.cacheControl) {
    const directives = h.cacheControl.toLowerCase().split(',').map((d) => d.trim());
    if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return null;
    // A shared cache's lifetime (s-maxage) is what an intermediary like RSSHub's would serve from.
    for (const name of ['s-maxage', 'max-age']) {
      const d = directives.find((x) => x.startsWith(`${name}=`));
      if (!d) continue;
      const seconds = Number(d.slice(name.length + 1).replace(/^"|"$/g, ''));
      return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 86_400) * 1000 : null;
    }
  }
  if (h.expires) {
    const expires = Date.parse(h.expires);
    const date = h.date ? Date.parse(h.date) : Number.NaN;
    if (Number.isNaN(expires) || Number.isNaN(date)) return null;
    const ms = expires - date;
    return ms > 0 ? Math.min(ms, 86_400_000) : null;
  }
  return null;
}
