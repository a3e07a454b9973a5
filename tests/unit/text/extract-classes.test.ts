// One test per failure class of issue 12, each on a synthetic fixture page written for the
// class (tests/fixtures/pages), plus pages that hold no article at all.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { authorMatches } from '../../../eval/score.js';
import { isOutletName, parseCredits } from '../../../src/text/boilerplate-fields.js';
import { isStampLine, storyZone } from '../../../src/text/extract-anchor.js';
import { pageZone } from '../../../src/text/extract-assemble.js';
import { extractArticle, extractArticleFromBytes } from '../../../src/text/extract.js';
import type { Line } from '../../../src/text/extract-lines.js';

const PAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/pages');
const article = (name: string) => extractArticleFromBytes(readFileSync(join(PAGES, `${name}.html`)));

describe('extraction classes', () => {
  it('comments: a caption-only photo post beats the longer block of reader comments under it', () => {
    const a = article('photo-blog-captions');
    expect(a?.paragraphs).toHaveLength(6);
    expect(a?.paragraphs[0]).toBe('巷口的老槐树还滴着水');
    expect(a?.text).not.toMatch(/回复|感慨万千|老城旧事|条评论/);
    expect(a?.title).toBe('雨后的青石巷');
  });

  it('several sibling posts: the first post, with its own heading as the title', () => {
    const a = article('blog-several-posts');
    expect(a?.title).toBe('菜园里的第一茬韭菜');
    expect(a?.paragraphs).toHaveLength(3);
    expect(a?.text).not.toMatch(/背影|灯谜|阅读全文/);
    expect(a?.publishedAt).toBe(Date.UTC(2021, 2, 6, 12, 11));
  });

  it('malformed markup: unclosed <p> and <br> paragraphs in a layout table all stay', () => {
    const a = article('layout-table-unclosed-p');
    expect(a?.paragraphs).toHaveLength(5);
    expect(a?.paragraphs.at(-1)).toMatch(/定期随访。$/);
    expect(a?.text).not.toMatch(/热点排行|责任编辑|版权所有/);
  });

  it('malformed markup: a long first paragraph does not cut off short unclosed ones after it', () => {
    const paras = ['第一段比较长，县里今年安排专项资金修缮了十二座乡村小桥，方便群众出行，也让不少学生上学不用再绕远路，村民们纷纷表示满意，说这是办到了心坎上的实事好事。', '第二段说明，工程由乡镇负责组织实施。', '第三段补充，验收工作下月进行。', '第四段结尾，明年还将继续推进。'];
    // The last <p> is left open into the next cell (a sidebar), which linkedom then nests inside it.
    const html = `<html><head><title>县里修缮乡村小桥</title></head><body><table><tr><td><a href="/1">链接一</a><br><a href="/2">链接二</a></td><td><font><b>县里修缮乡村小桥</b><br>2010-03-04 来源：某某县报<br>${paras.map((p) => `<p>\u3000\u3000${p}`).join('\n')}<td><a href="/3">热门链接甲</a><br><a href="/4">热门链接乙</a></font></td></tr></table><div>版权所有</div></body></html>`;
    const a = extractArticle(html);
    expect(a?.paragraphs).toEqual(paras);
  });

  it('a short story under the headline beats a longer block of comment-board rules', () => {
    const a = article('short-news-rules-block');
    expect(a?.paragraphs).toHaveLength(1);
    expect(a?.text).not.toMatch(/遵守|网友评论/);
    // Without the editor line that ends the story, the headline still anchors it.
    const html = readFileSync(join(PAGES, 'short-news-rules-block.html'), 'utf8').replace(/<div class="edit">[^<]*<\/div>/, '');
    expect(extractArticle(html)?.text).not.toMatch(/遵守/);
  });

  it('the next story of a feed and a stream of teasers stay out', () => {
    const a = article('stream-next-article');
    expect(a?.paragraphs).toHaveLength(2);
    expect(a?.text).not.toMatch(/修表|充电站|你可能还想看/);
  });

  it('a forum error page gives its whole notice or nothing, and no author or date from the footer', () => {
    const a = article('forum-error-page');
    if (a) {
      expect(a.paragraphs).toHaveLength(2);
      expect(a.author).toBeNull();
      expect(a.publishedAt).toBeNull();
    }
  });
});

describe('bylines, sources and dates', () => {
  it('credits several people across roles, never an outlet', () => {
    expect(article('layout-table-unclosed-p')?.author).toBe('何婉清 曹立 钟山');
    expect(parseCredits('文/林小满 摄影/高远').author).toBe('林小满 高远');
    expect(authorMatches(parseCredits('記者 陳怡君、王大明／台北報導').author, '陳怡君 王大明')).toBe(true);
    const outlet = parseCredits('作者：南溪日报');
    expect(outlet.author).toBeNull();
    expect(outlet.source).toBe('南溪日报');
    expect(parseCredits('责任编辑：吕方 审核：张三').author).toBeNull();
  });

  it('tells outlet names from people by their shape', () => {
    for (const o of ['自由時報', '湖畔新闻网', '某某電視台', '新华社', '香港電台-財經', '晚间新闻客户端', 'Daily News']) expect(isOutletName(o), o).toBe(true);
    for (const p of ['王东阳', '欧阳娜娜', '陈怡君', 'Joel Spolsky']) expect(isOutletName(p), p).toBe(false);
  });

  it('puts the outlet in source when the structured data names it as author', () => {
    const a = article('short-news-rules-block');
    expect(a?.author).toBe('谭一鸣');
    expect(a?.source).toBe('清河晚报');
    const s = article('stream-next-article');
    expect(s?.author).toBeNull();
    expect(s?.source).toBe('湖畔日报');
  });

  it('takes the visible dateline and its own time, not the meta time or a clock nearby', () => {
    expect(article('short-news-rules-block')?.publishedAt).toBe(Date.UTC(2024, 5, 3, 8, 5));
    // The header clock says 08:15; the dateline 10:48.
    expect(article('layout-table-unclosed-p')?.publishedAt).toBe(Date.UTC(2019, 7, 14, 2, 48));
  });

  it('reads a dateline in the zone the page declares', () => {
    expect(pageZone('2024-06-03T07:30:00+09:00')).toBe('Etc/GMT-9');
    expect(pageZone('2024-06-03T07:30:00Z')).toBeNull();
    const html = `<html><head><meta property="article:published_time" content="2024-06-03T07:30:00+09:00"><title>港町の朝市に新しい屋台</title></head><body><h1>港町の朝市に新しい屋台</h1><div>2024-06-03 16:05</div><p>港町の朝市に、地元の漁師が営む新しい屋台が加わり、朝から多くの人でにぎわった。焼きたての干物や海鮮丼が人気で、開店から一時間ほどで売り切れる品もあった。</p></body></html>`;
    expect(extractArticle(html)?.publishedAt).toBe(Date.UTC(2024, 5, 3, 7, 5));
  });
});

describe('the headline as anchor', () => {
  const lines = (...texts: string[]): Line[] => texts.map((text) => ({ text, linkChars: 0 }));

  it('finds the story under the headline and where the next post starts', () => {
    const page = lines('首页 本地', '某镇新建公园', '2024-01-02 10:00', '某镇新建的公园今天开放，市民可以免费入园游览。', '另一篇文章的标题', '2024-01-01 09:00', '这是另一篇文章的正文，内容与上文无关。');
    const zone = storyZone(page, '某镇新建公园_某某网');
    expect(zone).toMatchObject({ headline: 1, start: 3, dated: true, nextPost: 4 });
  });

  it('knows a stamp line from a sentence with a date in it', () => {
    expect(isStampLine('2024-05-20 13:09')).toBe(true);
    expect(isStampLine('晚间播报·3 小时前')).toBe(true);
    expect(isStampLine('2024年5月20日，市政府召开常务会议，研究部署防汛工作。')).toBe(false);
  });
});

describe('pages without an article', () => {
  const pages: Record<string, string> = {
    english: '<html><head><title>City council approves budget</title></head><body><h1>City council approves budget</h1><p>The city council approved a new budget on Monday, raising spending on parks, libraries and road repairs by five percent.</p></body></html>',
    japanese: '<html><head><title>市議会が予算案を可決</title></head><body><h1>市議会が予算案を可決</h1><p>市議会は月曜日、公園や図書館、道路補修への支出を増やす新年度予算案を賛成多数で可決した。</p></body></html>',
    list: `<html><head><title>本地新闻</title></head><body><ul>${Array.from({ length: 30 }, (_, i) => `<li><a href="/n/${i}">第${i}条新闻标题示例文字</a><span>2024-05-${String((i % 28) + 1).padStart(2, '0')}</span></li>`).join('')}</ul></body></html>`,
    login: '<html><head><title>用户登录</title></head><body><form><label>用户名</label><input name="u"><label>密码</label><input type="password" name="p"><button>登录</button></form><a href="/reg">立即注册</a> <a href="/pw">忘记密码</a></body></html>',
    empty: '<html><body></body></html>',
  };

  it.each(Object.keys(pages))('%s: an article or null, never a throw', (name) => {
    const a = extractArticle(pages[name]!);
    if (a) {
      expect(a.paragraphs.length).toBeGreaterThan(0);
      expect(a.text).toBe(a.paragraphs.join('\n'));
    }
  });

  it('a list page or a login form is not an article', () => {
    expect(extractArticle(pages.list!)).toBeNull();
    expect(extractArticle(pages.login!)).toBeNull();
  });
});
