// The abuse soak's world: a hostile server with many members, a bystander's server, a stored
// corpus of articles written from a small vocabulary (so the common characters a hostile query
// lists each match most of it), the feeds those articles came from, and a 100k-item feed.
import type { Db } from '../../src/store/database.js';
import { createSearchIndex } from '../../src/store/sqlite-search/index-writer.js';
import { Permission, snowflake, type GuildSeed } from '../fakes/fake-discord.js';
import { rssFeed } from '../fakes/feed-server.js';

export const SEED_FEEDS = 10;
const PLACES = [
  ['330400', '嘉兴'], ['330481', '海宁'], ['330483', '桐乡'], ['330100', '杭州'], ['330200', '宁波'],
  ['330300', '温州'], ['330600', '绍兴'], ['330700', '金华'], ['310000', '上海'], ['440300', '深圳'],
] as const;
// Words and glue of ordinary news prose; their characters are the "common characters".
const WORDS = ['项目', '建设', '工作', '发展', '推进', '会议', '市民', '部门', '相关', '社区', '服务', '经济', '企业', '群众', '安全', '交通', '地铁', '学校', '医院', '公园', '活动', '政府', '文化', '环境', '城市', '农村', '人民', '生活', '管理', '改革'];
const GLUE = ['的', '了', '在', '和', '是', '有', '一', '不', '为', '对', '中', '上', '大', '年', '日', '月', '新', '开', '工', '表示', '今天', '目前', '已经', '进行', '正在'];

export interface AbuseGuilds {
  readonly guilds: GuildSeed[];
  readonly hostile: { readonly guildId: string; readonly channelId: string; readonly members: readonly string[] };
  readonly bystander: { readonly guildId: string; readonly channelId: string; readonly member: string };
}

export function buildAbuseGuilds(applicationId: string, hostileMembers: number): AbuseGuilds {
  const perms = Permission.ViewChannel | Permission.SendMessages | Permission.EmbedLinks | Permission.ReadMessageHistory | Permission.UseApplicationCommands;
  const make = (name: string, members: string[]): { seed: GuildSeed; channelId: string } => {
    const id = snowflake();
    const botRole = snowflake();
    const channelId = snowflake();
    const seed = {
      id, name, preferredLocale: 'zh-CN',
      roles: [{ id, name: '@everyone', permissions: perms, position: 0 }, { id: botRole, name: '乡讯', permissions: perms, position: 1, managed: true }],
      members: [{ user: { id: applicationId, username: 'xiangxun', bot: true }, roles: [botRole] }, ...members.map((m, i) => ({ user: { id: m, username: `user${i}` }, roles: [] }))],
      channels: [{ id: channelId, name: 'general' }],
    } as GuildSeed;
    return { seed, channelId };
  };
  const hostileIds = Array.from({ length: hostileMembers }, () => snowflake());
  const bystanderId = snowflake();
  const h = make('喧闹的服务器', hostileIds);
  const b = make('安静的服务器', [bystanderId]);
  return {
    guilds: [h.seed, b.seed],
    hostile: { guildId: h.seed.id, channelId: h.channelId, members: hostileIds },
    bystander: { guildId: b.seed.id, channelId: b.channelId, member: bystanderId },
  };
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function sentence(r: () => number, place: string): string {
  let s = '';
  const n = 6 + Math.floor(r() * 8);
  for (let k = 0; k < n; k++) {
    const x = r();
    s += x < 0.1 ? place : x < 0.6 ? WORDS[Math.floor(WORDS.length * r() ** 2)]! : GLUE[Math.floor(r() * GLUE.length)]!;
  }
  return `${s}。`;
}

/**
 * Stores and indexes `total` articles the way ingest does (stories, regions, the search
 * index), spread over the last 60 days, under the seed feeds; returns how long it took.
 */
export function seedArticles(db: Db, total: number, now: number): number {
  const started = performance.now();
  const r = rng(11);
  const index = createSearchIndex(db);
  const story = db.prepare('INSERT INTO stories (title_key, published_at, first_seen_at) VALUES (?, ?, ?)');
  const region = db.prepare("INSERT OR IGNORE INTO story_regions (story_id, code, confidence, source) VALUES (?, ?, 0.9, 'body')");
  const article = db.prepare(`INSERT INTO articles (feed_id, story_id, item_key, url, title, html, text, published_at, first_seen_at, script, summary)
    VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, 'simplified', ?)`);
  const primary = db.prepare('UPDATE stories SET primary_article_id = ? WHERE id = ?');
  const span = 60 * 86_400_000;
  const batch = db.transaction((lo: number, hi: number) => {
    for (let i = lo; i < hi; i++) {
      const [code, place] = PLACES[i % PLACES.length]!;
      const at = now - span + Math.floor((span * i) / total);
      const title = `${place}${WORDS[Math.floor(r() * WORDS.length)]}${WORDS[Math.floor(r() * WORDS.length)]}第${i}期`;
      const body = Array.from({ length: 3 + Math.floor(r() * 4) }, () => sentence(r, place)).join('');
      const storyId = Number(story.run(`seed${i}`, at, at).lastInsertRowid);
      region.run(storyId, code);
      if (!code.endsWith('0000')) region.run(storyId, `${code.slice(0, 2)}0000`);
      const id = Number(article.run(`seed-${i % SEED_FEEDS}`, storyId, `seed${i}`, `https://news.example.cn/seed/${i}.html`, title, body, at, at, body.slice(0, 120)).lastInsertRowid);
      primary.run(id, storyId);
      index.indexArticle({ id, title, body });
    }
  });
  for (let lo = 0; lo < total; lo += 5000) batch(lo, Math.min(total, lo + 5000));
  return (performance.now() - started) / 1000;
}

/** A feed of `n` undated items, each a title and a guid (the issue's 100k-item feed: about 6 MB). */
export function floodFeed(n: number): string {
  const items = Array.from({ length: n }, (_, i) => ({ title: `洪水第${i}条`, guid: `f${i}` }));
  return rssFeed(items, { title: 'flood' });
}

/** Queries a hostile member types: a common word and ~30 common characters, the same negated. */
export function hostileQueries(): string[] {
  const chars = [...new Set([...WORDS.join(''), ...GLUE.filter((g) => g.length === 1)])].slice(0, 30);
  return [
    `项目 ${chars.join(' ')}`,
    `工作 ${chars.map((c) => `-${c}`).join(' ')}`,
    `建设 ${chars.slice(0, 15).join(' ')} ${chars.slice(15).map((c) => `-${c}`).join(' ')}`,
    '项目',
    '的',
  ].map((q) => q.slice(0, 200));
}
