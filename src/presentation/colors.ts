// Embed colours. Stories are coloured by province so a channel that follows several can tell
// them apart at a glance; replies to commands use a small fixed set by meaning.

/** A story with no known place, and compact or neutral replies. */
export const DEFAULT_COLOR = 0x5b7083;

/** Colours of command replies, by what they say (Discord's own palette). */
export const UI_COLORS = {
  brand: 0x5865f2,
  muted: 0x99aab5,
  danger: 0xed4245,
  warning: 0xfaa61a,
  ok: 0x57f287,
} as const;

// Hand-picked for the provinces the bot ships feeds for; the rest get a palette colour
// chosen by a hash of the code, so a province keeps its colour across restarts.
const PROVINCE_COLORS: Record<string, number> = {
  '330000': 0x1f8a70, // 浙江
  '310000': 0xc0392b, // 上海
  '110000': 0xb03a2e, // 北京
  '440000': 0x2e86c1, // 广东
  '320000': 0x6c3483, // 江苏
  '710000': 0x117a65, // 台湾
  '810000': 0xd35400, // 香港
  '820000': 0x1abc9c, // 澳门
};
const PALETTE = [0x3498db, 0x9b59b6, 0xe67e22, 0x16a085, 0xe74c3c, 0x2c3e50, 0xf1c40f, 0x27ae60, 0x8e44ad, 0xd4ac0d, 0x2980b9, 0xa04000];

/** The colour of a province by its code; DEFAULT_COLOR without one. */
export function provinceColor(province: string | undefined): number {
  if (province === undefined) return DEFAULT_COLOR;
  if (PROVINCE_COLORS[province] !== undefined) return PROVINCE_COLORS[province];
  let h = 0x811c9dc5; // FNV-1a: stable across runs, unlike anything seeded
  for (let i = 0; i < province.length; i++) h = Math.imul(h ^ province.charCodeAt(i), 0x01000193) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}
