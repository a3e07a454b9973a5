// Which deliverer's share a channel belongs to (DeliveryShare in ports.ts): a stable hash of its
// id, FNV-1a over UTF-16 code units. Postgres computes the same in SQL (channel_share(),
// pg migration 003), so every process and both stores agree on a channel's deliverer.
export function channelShare(channelId: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < channelId.length; i++) h = Math.imul(h ^ channelId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % count;
}
