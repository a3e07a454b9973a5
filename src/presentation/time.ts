// Times as readers see them. Discord turns `<t:unix:style>` into each reader's own local
// time, but only in message content, embed descriptions and field values: titles, footers
// and author names show the markup raw, so those keep the server's wall clock as text.
import { zoneOffsetMs } from '../text/dates.js';

// Years Discord and toISOString can both write with four digits.
export const validTime = (ms: number | null | undefined): ms is number =>
  typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= Date.UTC(9999, 11, 30);

const zoneOk = new Map<string, boolean>();
/** The zone when the runtime knows it, else UTC (a hand-typed setting may be anything). */
export function safeZone(tz: string): string {
  let ok = zoneOk.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    zoneOk.set(tz, ok);
  }
  return ok ? tz : 'UTC';
}

/** `2022-05-07 09:23 UTC+8`: the wall clock of the server's zone, with its offset. */
export function formatLocalTime(ms: number, timeZone: string): string {
  const offset = zoneOffsetMs(ms, safeZone(timeZone));
  const local = new Date(ms + offset).toISOString().slice(0, 16).replace('T', ' ');
  if (offset === 0) return `${local} UTC`;
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const m = minutes % 60;
  return `${local} UTC${offset < 0 ? '-' : '+'}${Math.floor(minutes / 60)}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

/** Discord's timestamp styles: f = date and time, R = relative ("3 hours ago"). */
export type TimestampStyle = 't' | 'T' | 'd' | 'D' | 'f' | 'F' | 'R';

/** `<t:1651886580:f>`: shown to each reader in their own zone and language. */
export const discordTimestamp = (ms: number, style: TimestampStyle = 'f'): string => `<t:${Math.floor(ms / 1000)}:${style}>`;

/** Date and time, then how long ago: `<t:…:f> (<t:…:R>)`. */
export const discordTime = (ms: number): string => `${discordTimestamp(ms, 'f')} (${discordTimestamp(ms, 'R')})`;
