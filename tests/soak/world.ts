// The soak's world: 3 servers with 20 channels and overlapping subscriptions, 50 feeds in
// both scripts (some GBK) that keep publishing, and the stories each channel should get.
import { convert } from '../../src/text/script.js';
import { Permission, snowflake, type GuildSeed } from '../fakes/fake-discord.js';
import { rssFeed, type FeedServer, type TestItem } from '../fakes/feed-server.js';
import { encodeGb18030 } from '../fakes/gbk.js';

// Feed regions: Zhejiang prefectures and two counties, plus Shanghai and Guangdong.
const REGIONS: Array<{ code: string; place: string }> = [
  { code: '330100', place: '杭州市' }, { code: '330200', place: '宁波市' }, { code: '330300', place: '温州市' },
  { code: '330400', place: '嘉兴市' }, { code: '330481', place: '海宁市' }, { code: '330483', place: '桐乡市' },
  { code: '330600', place: '绍兴市' }, { code: '330700', place: '金华市' }, { code: '310000', place: '上海市' }, { code: '440000', place: '广东省' },
];
const within = (code: string, sub: string): boolean =>
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
  title: string; // Simplified
  topic: string;
}

const TOPICS = ['地铁', '学校', '医院', '公园', '工厂', '图书馆', '大桥', '广告'];

export function buildGuilds(applicationId: string): { guilds: GuildSeed[]; channels: string[][] } {
  const perms = Permission.ViewChannel | Permission.SendMessages | Permission.EmbedLinks | Permission.ReadMessageHistory | Permission.UseApplicationCommands;
  const sizes = [8, 6, 6];
  const locales = ['zh-CN', 'zh-TW', 'en-US'];
  const channels: string[][] = [];
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
      channels: ids.map((cid, i) => ({ id: cid, name: `news-${i + 1}` })),
    } as GuildSeed;
  });
  return { guilds, channels };
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

export function publish(feed: SoakFeed, story: Story, suffix = ''): void {
  const title = feed.traditional ? convert(story.title, 'tw') : story.title;
  const body = `${title}。${feed.traditional ? convert(`${feed.place}有关部门表示，相关工作正在有序推进。`, 'tw') : `${feed.place}有关部门表示，相关工作正在有序推进。`}`;
  feed.items.unshift({ title, guid: `${feed.id}-${story.n}${suffix}`, link: `https://news.example.cn/${feed.id}/${story.n}.html`, date: new Date().toUTCString(), description: `<p>${body}</p>` });
  feed.items.length = Math.min(feed.items.length, 30);
}

export function newStory(n: number, feed: SoakFeed): Story {
  const topic = TOPICS[n % TOPICS.length]!;
  return { n, region: feed.region, topic, title: `【S${n}】${feed.place}新建${topic}项目第${n}期开工` };
}

export function serve(server: FeedServer, feed: SoakFeed): void {
  const xml = rssFeed(feed.items, { title: feed.id, encoding: feed.gbk ? 'GBK' : 'UTF-8' });
  server.setRoute(`/${feed.id}.xml`, feed.gbk ? { body: encodeGb18030(xml), contentType: 'text/xml' } : { body: xml, contentType: 'application/rss+xml; charset=utf-8' });
}
