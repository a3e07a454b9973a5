// The feed faults the ingest issue lists, served next to healthy feeds: used by the CLI
// end-to-end test and by `npm run fake-feeds` for trying `xiangxun poll` by hand.
import { writeFileSync } from 'node:fs';
import { rssFeed, type FeedServer, type Route } from './feed-server.js';
import { encodeGb18030 } from './gbk.js';

const item = (n: number, title: string) => ({
  title,
  link: `https://news.example.cn/${n}.html`,
  guid: `ok-${n}`,
  date: new Date(Date.now() - n * 60_000).toUTCString(),
  description: `<p>${title}。嘉兴市今天发布消息,相关工作正在有序推进。</p>`,
});

export const FAULT_ROUTES: Record<string, Route> = {
  timeout: { fault: 'timeout' },
  'http-500': { status: 500, body: 'Internal Server Error' },
  'http-404': { status: 404, body: 'Not Found' },
  reset: { fault: 'reset' },
  'redirect-loop': { fault: 'redirect-loop' },
  'too-many-redirects': { fault: 'redirects', count: 8 },
  'over-limit': { fault: 'huge' },
  'gzip-bomb': { fault: 'gzip-bomb' },
  malformed: { body: '<rss><channel><item><title>a</title></channel>', contentType: 'application/rss+xml' },
  truncated: { fault: 'truncated' },
  'html-page': { fault: 'html' },
  empty: { body: rssFeed([], { title: 'empty' }) },
  'odd-items': {
    body: rssFeed(
      [
        { guid: 'no-title', link: 'https://news.example.cn/nt', description: '<p>只有正文没有标题的条目。</p>' },
        { title: '没有链接的条目', guid: 'no-link', description: '<p>正文</p>' },
        { title: '重复的 guid', guid: 'dup', link: 'https://news.example.cn/d1' },
        { title: '重复的 guid(第二次)', guid: 'dup', link: 'https://news.example.cn/d2' },
        { title: '1970 年的日期', guid: 'old', date: 'Thu, 01 Jan 1970 00:00:00 GMT', link: 'https://news.example.cn/o' },
        { title: '2100 年的日期', guid: 'future', date: 'Fri, 01 Jan 2100 00:00:00 GMT', link: 'https://news.example.cn/f' },
        {}, // neither title nor text: dropped with a warning
      ],
      { title: 'odd' },
    ),
  },
};

export const HEALTHY_ROUTES: Record<string, Route> = {
  'healthy-utf8': { body: rssFeed([item(1, '嘉兴市秀洲区举行重点项目集中开工'), item(2, '海宁市推出企业开办联办服务')], { title: 'ok' }) },
  'healthy-gbk': { body: encodeGb18030(rssFeed([item(3, '桐乡市乌镇迎来冬季旅游旺季')], { title: 'gbk', encoding: 'GBK' })), contentType: 'text/xml' },
};

/** Installs every route on the server and writes a FEEDS_FILE naming them; returns the feed ids. */
export function installFaultCatalog(server: FeedServer, feedsFile: string): string[] {
  const routes = { ...HEALTHY_ROUTES, ...FAULT_ROUTES };
  for (const [id, route] of Object.entries(routes)) server.setRoute(`/${id}.xml`, route);
  const feeds = Object.keys(routes).map((id) => ({ id, name: id, url: server.url(`/${id}.xml`), region: '330400', fullText: 'never' }));
  writeFileSync(feedsFile, JSON.stringify({ feeds }, null, 2));
  return Object.keys(routes);
}
