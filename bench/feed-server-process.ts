// A feed server in its own process, so the benchmark's CPU figures are the poller's alone.
// Serves /feed/N.xml (50 items each). Modes via /mode/<name>: "changing" (lastBuildDate moves,
// items stay), "same" (identical bytes), "etag" (honours If-None-Match with 304).
import { createServer } from 'node:http';

let mode = 'changing';
let tick = 0;
const item = (f: number, i: number) =>
  `<item><title>第${f}号源 新闻${i}:嘉兴市秀洲区举行重点项目集中开工活动</title><link>https://news.example.cn/${f}/${i}.html</link>` +
  `<guid>f${f}-i${i}</guid><pubDate>${new Date(Date.UTC(2026, 10, 27, 8, i)).toUTCString()}</pubDate>` +
  `<description><![CDATA[<p>嘉兴市秀洲区昨天举行重点项目集中开工活动,共有${i}个项目开工,总投资约${f}亿元。</p>]]></description></item>`;
const feeds = new Map<number, string>();
const body = (f: number) => {
  let items = feeds.get(f);
  if (!items) feeds.set(f, (items = Array.from({ length: 50 }, (_, i) => item(f, i)).join('')));
  const build = mode === 'changing' ? `<lastBuildDate>${new Date(Date.UTC(2026, 10, 28, 0, 0, tick)).toUTCString()}</lastBuildDate>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>源${f}</title><link>https://news.example.cn/</link>${build}${items}</channel></rss>`;
};

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url.startsWith('/mode/')) {
    mode = url.slice(6);
    tick++;
    res.end('ok');
    return;
  }
  const f = Number(/\/feed\/(\d+)\.xml/.exec(url)?.[1] ?? -1);
  if (f < 0) return void res.writeHead(404).end();
  if (mode === 'etag' && req.headers['if-none-match'] === `"${f}"`) return void res.writeHead(304).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', ...(mode === 'etag' ? { etag: `"${f}"` } : {}) });
  res.end(body(f));
});
// Long keep-alive: the poller's CPU-bound stretches must not race the server closing idle sockets.
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
