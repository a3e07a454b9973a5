// Links found in feeds are published as clickable only when they are public http(s) URLs
// without credentials: a feed cannot make the bot hand readers a link to their own router,
// an intranet name, a cloud metadata address, or a URL carrying someone's password.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLinkUrl } from '../../../src/presentation/message.js';
import { renderStory } from '../../../src/presentation/render.js';
import type { StoryView } from '../../../src/store/articles-repo.js';
import { createGazetteer } from '../../../src/text/gazetteer.js';
import { validateRegionsFile } from '../../../src/text/regions-schema.js';

const gazetteer = createGazetteer(validateRegionsFile(JSON.parse(readFileSync('data/regions.json', 'utf8'))));

const PRIVATE = [
  'http://192.168.1.1/admin', 'http://10.0.0.8/', 'http://127.0.0.1:8080/x', 'http://localhost/x', 'http://[::1]/x',
  'http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://168.63.129.16/', 'http://metadata.google.internal/',
  'http://2130706433/', 'http://0x7f.1/', 'http://intranet/', 'http://printer.local/', 'http://wiki.corp/', 'http://nas.home.arpa/',
  'https://user:pass@news.example.cn/a', 'https://token@news.example.cn/a', 'ftp://news.example.cn/a', 'javascript:alert(1)',
];
const PUBLIC = ['https://news.example.cn/jx/1.html', 'http://www.example.com.cn/a?b=c', 'https://101.226.4.6/a', 'https://[2400:3200::1]/x'];

function story(url: string): StoryView {
  return {
    storyId: 1, articleId: 1, feedId: 'a', feedName: '嘉兴日报', title: '嘉兴新闻', url,
    summary: '嘉兴市今天举行活动。', text: '嘉兴市今天举行活动。', body: null, author: null, sourceOutlet: null,
    publishedAt: Date.UTC(2025, 0, 1), firstSeenAt: Date.UTC(2025, 0, 1), script: 'simplified', postable: true, holdReason: null,
    regions: [], alsoReportedBy: [{ feedId: 'b', feedName: '另一家报纸', url }],
  };
}

describe('links from feeds', () => {
  it.each(PRIVATE)('%s is not a link', (url) => expect(isLinkUrl(url)).toBe(false));
  it.each(PUBLIC)('%s is a link', (url) => expect(isLinkUrl(url)).toBe(true));

  it('are left out of posts when not public, the rest of the post kept', () => {
    for (const url of PRIVATE) {
      const m = renderStory(story(url), { script: 'original', timeZone: 'Asia/Shanghai', guildLocale: null, gazetteer });
      const json = JSON.stringify(m);
      expect(m.embeds[0]!.url, url).toBeUndefined();
      expect(m.embeds[0]!.title).toBe('嘉兴新闻');
      expect(json).not.toContain('](');
      expect(json).toContain('另一家报纸');
    }
    const ok = renderStory(story(PUBLIC[0]!), { script: 'original', timeZone: 'Asia/Shanghai', guildLocale: null, gazetteer });
    expect(ok.embeds[0]!.url).toBe(PUBLIC[0]);
    expect(JSON.stringify(ok)).toContain(`[另一家报纸](${PUBLIC[0]})`);
  });
});
