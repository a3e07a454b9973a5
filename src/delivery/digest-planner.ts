// Scheduled digests: for `digest` subscriptions, one roll-up per channel at the guild's
// digest time (default 08:00 local) with the stories queued since the last one.
import type { Store } from '../store/ports.js';
import { zonedTimeToUtc, zoneOffsetMs } from '../text/dates.js';

export const DEFAULT_DIGEST_TIME = '08:00';

/** The most recent digest moment at or before `now`, in the guild's zone. */
export function lastDigestMoment(now: number, digestTime: string, timeZone: string): number {
  const [h, m] = digestTime.split(':').map(Number) as [number, number];
  const local = new Date(now + zoneOffsetMs(now, timeZone));
  const today = zonedTimeToUtc(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), h, m, 0, timeZone);
  return today <= now ? today : today - 86_400_000;
}

export interface DigestPlannerDeps {
  /** Settings are read outside a unit of work; a guild's digests and its mark commit together. */
  readonly store: Pick<Store, 'settings' | 'transaction'>;
  readonly defaultTimeZone: string;
  readonly now: () => number;
}

/** Creates the digests that are due; returns how many. Safe to run every minute. */
export async function planScheduledDigests(deps: DigestPlannerDeps): Promise<number> {
  const now = deps.now();
  let created = 0;
  for (const guildId of await deps.store.settings.guildsWithDigests()) {
    const settings = await deps.store.settings.settings(guildId);
    const moment = lastDigestMoment(now, settings.digestTime ?? DEFAULT_DIGEST_TIME, settings.timeZone ?? deps.defaultTimeZone);
    if (settings.lastDigestAt === null) {
      // First sight of this guild's digests: start counting from now, post at the next moment.
      await deps.store.settings.markDigestDone(guildId, now);
      continue;
    }
    if (settings.lastDigestAt >= moment) continue;
    const since = settings.lastDigestAt;
    created += await deps.store.transaction(async (tx) => {
      const byChannel = new Map<string, number[]>();
      for (const d of await tx.outbox.queuedForGuild(guildId)) byChannel.set(d.channelId, [...(byChannel.get(d.channelId) ?? []), d.id]);
      for (const [channelId, ids] of byChannel) await tx.outbox.createScheduledDigest(channelId, guildId, ids, since, now);
      await tx.settings.markDigestDone(guildId, now);
      return byChannel.size;
    });
  }
  return created;
}
