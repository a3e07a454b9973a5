// The soak's world: 3 servers with 20 channels (text, announcement and forum channels with
// place tags) and overlapping subscriptions, 50 feeds in both scripts (some GBK) that keep
// publishing, and the stories each channel should get.
import { convert } from '../../src/text/script.js';
import { Permission, snowflake, type ChannelSeed, type GuildSeed, type TagSeed } from '../fakes/fake-discord.js';
import { rssFeed, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { encodeGb18030 } from '../fakes/gbk.js';

// Feed regions: Zhejiang prefectures and two counties, plus Shanghai and Guangdong.
const REGIONS: Array<{ code: string; place: string }> = [
  { code: '330100', place: '杭州市' }, { code: '330200', place: '宁波市' }, { code: '330300', place: '温州市' },
  { code: '330400', place: '嘉兴市' }, { code: '330481', place: '海宁市' }, { code: '330483', place: '桐乡市' },
  { code: '330600', place: '绍兴市' }, { code: '330700', place: '金华市' }, { code: '310000', place: '上海市' }, { code: '440000', place: '广东省' },
];
export const within = (code: string, sub: string): boolean =>
  sub === code || (sub.endsWith('0000') && code.startsWith(sub.slice(0, 2))) || (sub.endsWith('00') && !sub.endsWith('0000') && code.startsWith(sub.slice(0, 4)));

export interface Sub {
  guild: number;
  channelId: string;
  region: string;
  include: string[];
  exclude: string[];
}

export interface SoakFeed {
  id: string;
  region: string;
  place: string;
  traditional: boolean;
  gbk: boolean;
  items: TestItem[];
}

export interface Story {
  n: number;
  region: string;
  place: string;
  title: string; // Simplified, as first published (what subscriptions match)
  topic: string;
  /** The feeds carrying it, with the guid suffix of each copy. */
  sources: Array<{ feed: SoakFeed; suffix: string }>;
}

export type ChannelKind = 'text' | 'announcement' | 'forum';

// Forum tags named after the feeds' places, in either script and with or without the
// division suffix, as moderators write them; one names no place and must never be applied.
const FORUM_TAGS: Array<[string, string | null]> = [
  ['嘉兴', '330400'], ['海寧', '330481'], ['杭州市', '330100'], ['浙江省', '330000'], ['上海', '310000'], ['廣東', '440000'], ['体育', null],
];
/** The region a forum tag names (null: none), by tag name. */
export const TAG_REGION = new Map(FORUM_TAGS);
/** Channel i of a server: a forum every third, an announcement channel every fourth, else text. */
const kindOf = (i: number): ChannelKind => (i % 3 === 2 ? 'forum' : i % 4 === 1 ? 'announcement' : 'text');

const TOPICS = ['地铁', '学校', '医院', '公园', '工厂', '图书馆', '大桥', '广告'];

export function buildGuilds(applicationId: string): { guilds: GuildSeed[]; channels: string[][]; kinds: Map<string, ChannelKind> } {
  const perms = Permission.ViewChannel | Permission.SendMessages | Permission.EmbedLinks | Permission.ReadMessageHistory | Permission.UseApplicationCommands;
  const sizes = [8, 6, 6];
  const locales = ['zh-CN', 'zh-TW', 'en-US'];
  const channels: string[][] = [];
  const kinds = new Map<string, ChannelKind>();
  const guilds = sizes.map((size, g) => {
    const id = snowflake();
    const botRole = snowflake();
    const ids = Array.from({ length: size }, () => snowflake());
    channels.push(ids);
    return {
      id,
      name: `乡讯测试服 ${g + 1}`,
      preferredLocale: locales[g],
      roles: [
        { id, name: '@everyone', permissions: perms, position: 0 },
        { id: botRole, name: '乡讯', permissions: perms, position: 1, managed: true },
      ],
      members: [{ user: { id: applicationId, username: 'xiangxun', bot: true }, roles: [botRole] }],
      channels: ids.map((cid, i): ChannelSeed => {
        kinds.set(cid, kindOf(i));
        if (kindOf(i) === 'forum') return { id: cid, name: `forum-${i + 1}`, type: 15, tags: FORUM_TAGS.map(([name]): TagSeed => ({ id: snowflake(), name })) };
        return { id: cid, name: `news-${i + 1}`, type: kindOf(i) === 'announcement' ? 5 : 0 };
      }),
    } as GuildSeed;
  });
  return { guilds, channels, kinds };
}

/** Overlapping subscriptions: province, city and county levels, a few with keywords. */
export function buildSubscriptions(channels: string[][]): Sub[] {
  const plan: Array<[string, string[], string[]]> = [
    ['330000', [], []], ['330400', [], []], ['330481', [], []], ['330100', [], []], ['330000', ['地铁', '学校'], []],
    ['330400', [], ['广告']], ['310000', [], []], ['440000', [], []],
  ];
  const subs: Sub[] = [];
  channels.forEach((list, g) =>
    list.forEach((channelId, i) => {
      const [region, include, exclude] = plan[(i + g * 3) % plan.length]!;
      subs.push({ guild: g, channelId, region, include, exclude });
      // A second, overlapping subscription on some channels: the story must still come once.
      if (i % 3 === 0) subs.push({ guild: g, channelId, region: region === '330000' ? '330400' : '330000', include: [], exclude: [] });
    }),
  );
  return subs;
}

export function buildFeeds(count: number): SoakFeed[] {
  return Array.from({ length: count }, (_, i) => {
    const r = REGIONS[i % REGIONS.length]!;
    return { id: `soak-${i}`, region: r.code, place: r.place, traditional: i % 4 === 1, gbk: i % 5 === 2, items: [] };
  });
}

/** Whether a channel's subscriptions take a story (its region is the feed's, its text the title). */
export function wants(subs: readonly Sub[], channelId: string, story: Story): boolean {
  return subs.some(
    (s) => s.channelId === channelId && within(story.region, s.region) && (s.include.length === 0 || s.include.some((w) => story.title.includes(w))) && !s.exclude.some((w) => story.title.includes(w)),
  );
}

/** The item a feed serves for a story: its title and body in the feed's script. */
export function itemText(feed: SoakFeed, title: string, body: string): { title: string; description: string } {
  const inScript = (s: string) => (feed.traditional ? convert(s, 'tw') : s);
  return { title: inScript(title), description: `<p>${inScript(`${title}。${body}`)}</p>` };
}

export const ORIGINAL_BODY = (place: string) => `${place}有关部门表示，相关工作正在有序推进。`;

export function publish(feed: SoakFeed, story: Story, suffix = ''): void {
  const { title, description } = itemText(feed, story.title, ORIGINAL_BODY(feed.place));
  feed.items.unshift({ title, guid: `${feed.id}-${story.n}${suffix}`, link: `https://news.example.cn/${feed.id}/${story.n}.html`, date: new Date().toUTCString(), description });
  feed.items.length = Math.min(feed.items.length, 30);
  story.sources.push({ feed, suffix });
}

export function newStory(n: number, feed: SoakFeed): Story {
  const topic = TOPICS[n % TOPICS.length]!;
  return { n, region: feed.region, place: feed.place, topic, title: `【S${n}】${feed.place}新建${topic}项目第${n}期开工`, sources: [] };
}

export function serve(server: FeedServer, feed: SoakFeed): void {
  const xml = rssFeed(feed.items, { title: feed.id, encoding: feed.gbk ? 'GBK' : 'UTF-8' });
  server.setRoute(`/${feed.id}.xml`, feed.gbk ? { body: encodeGb18030(xml), contentType: 'text/xml' } : { body: xml, contentType: 'application/rss+xml; charset=utf-8' });
}
