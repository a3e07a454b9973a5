import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  breadcrumbParts,
  cleanBody,
  cleanName,
  isBreadcrumb,
  isCreditLine,
  isFooterStart,
  isNavRow,
  isPhotoCaption,
  isProse,
  isToolLine,
  looksLikeName,
  parseCredits,
} from '../../../src/text/boilerplate.js';

// Each pattern in Simplified and in Traditional: matching runs on t2s(line).
const BYLINES: Array<[string, string, string, string?]> = [
  ['本报记者 张三', '本報記者 張三', '张三'],
  ['通讯员 李四', '通訊員 李四', '李四'],
  ['作者：王五', '作者：王五', '王五'],
  // Several roles credit several people.
  ['记者 裘建锋 通讯员 陆姗姗', '記者 裘建鋒 通訊員 陸姍姍', '裘建锋 陆姗姗', '裘建鋒 陸姍姍'],
];

describe('credit lines', () => {
  it.each(BYLINES)('reads the byline %s / %s', (simplified, traditional, name, traditionalName) => {
    expect(parseCredits(simplified)).toMatchObject({ author: name, isCredit: true });
    const t = parseCredits(traditional);
    expect(t.isCredit).toBe(true);
    // The name comes back in the line's own script.
    expect(t.author).toBe(traditionalName ?? traditional.match(/(?:者|員)[ ：]*(\S+)/)![1]);
  });

  it('reads the founding example byline: outlet, reporter and date', () => {
    expect(parseCredits('嘉興日報 · 記者 裘建鋒 | 發佈時間2022-05-07 09:23:18\u00a0\u00a0\u00a0\u00a0')).toEqual({
      author: '裘建鋒',
      source: '嘉興日報',
      dateRaw: '2022-05-07 09:23:18',
      originalTitle: null,
      isCredit: true,
    });
  });

  it.each([
    ['发布时间：2022-05-07 09:23', '發佈時間：2022-05-07 09:23', '2022-05-07 09:23'],
    ['时间：2004年10月21日14:18', '時間：2004年10月21日14:18', '2004年10月21日14:18'],
    ['发表于 2004年12月27日 12:40', '發表於 2004年12月27日 12:40', '2004年12月27日 12:40'],
    ['更新时间：２０２４／０３／０２ １４：０５', '更新時間：２０２４／０３／０２ １４：０５', '２０２４／０３／０２ １４：０５'],
  ])('reads the date line %s / %s', (simplified, traditional, raw) => {
    expect(parseCredits(simplified)).toMatchObject({ dateRaw: raw, isCredit: true });
    expect(parseCredits(traditional)).toMatchObject({ dateRaw: raw, isCredit: true });
  });

  it.each([
    ['来源：新华社', '來源：新華社', '新华社'],
    ['来源：[ 国际金融报 ]', '來源：[ 國際金融報 ]', '国际金融报'],
  ])('reads the source line %s / %s', (simplified, traditional, outlet) => {
    expect(parseCredits(simplified)).toMatchObject({ source: outlet, isCredit: true });
    expect(parseCredits(traditional).isCredit).toBe(true);
  });

  it('reads forum and blog stamps', () => {
    expect(parseCredits('本贴由 大卫 于2005年8月12日16:12:21在〖 心灵体操 〗发表.')).toMatchObject({ author: '大卫', dateRaw: '2005年8月12日16:12:21' });
    expect(parseCredits('ggjjzhzz 发表于 2005-9-15 11:46:00')).toMatchObject({ author: 'ggjjzhzz', dateRaw: '2005-9-15 11:46:00' });
    expect(parseCredits('〓 网易娱乐 留言板 发布时间 2005/05/17 22:11:42 by 眉间尺 〓')).toMatchObject({ author: '眉间尺', dateRaw: '2005/05/17 22:11:42' });
    expect(parseCredits('作者:zboygirl 阅读(1660) 评论(5) 编辑 发表于:2005-07-31 12:30')).toMatchObject({ author: 'zboygirl', dateRaw: '2005-07-31 12:30' });
    expect(parseCredits('BUSINESS.SOHU.COM 2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]')).toMatchObject({ author: '黄宇', source: '国际金融报' });
    expect(parseCredits('記者 林志豪／台中報導')).toMatchObject({ author: '林志豪', isCredit: true });
    expect(parseCredits('Saturday, September 10th, 2005 10:56 am').dateRaw).toBe('September 10th, 2005 10:56 am');
  });

  it('does not take a live clock or a sign-up date for the article date', () => {
    expect(parseCredits('今天是2006年12月27日（京港台时间）').dateRaw).toBeNull();
    expect(parseCredits('建立于:2004年10月6日').dateRaw).toBeNull();
  });

  it('leaves sentences alone', () => {
    expect(isCreditLine('记者从市统计局获悉，今年一季度全市生产总值增长百分之八。')).toBe(false);
    expect(isCreditLine('2005年4月18日吴宗宪进棚录像，凌晨收班后，于2、3点在忠孝东路一带餐厅用餐。')).toBe(false);
  });

  it('cleans names', () => {
    expect(cleanName('本报记者 罗科苏盈发自北京')).toBe('罗科苏盈');
    expect(cleanName('记者 张三 报道')).toBe('张三');
    expect(cleanName('周思博 (Joel Spolsky)')).toBe('周思博 (Joel Spolsky)');
    expect(cleanName('赵婕 出自《某书》')).toBe('赵婕');
    expect(cleanName('2005-01-01')).toBeNull();
    expect(looksLikeName('胡平')).toBe(true);
    expect(looksLikeName('推荐')).toBe(false);
    expect(looksLikeName('关闭')).toBe(false);
  });
});

describe('footer starts', () => {
  const pairs: Array<[string, string]> = [
    ['(原文标题：项目为王 逆风奔跑)', '(原文標題:項目為王 逆風奔跑)'],
    ['撰稿：记者 裘建锋', '撰稿:記者 裘建鋒'],
    ['责编：陆姗姗', '責編:陸姍姍'],
    ['责任编辑：王丽', '責任編輯：王麗'],
    ['审核：张渊', '審核:張淵'],
    ['新闻投稿：news@example.cn', '新聞投稿:news@example.cn'],
    ['投稿邮箱：news@example.cn', '投稿郵箱：news@example.cn'],
    ['新闻热线：0573-0000000', '新聞熱線:13100000000'],
    ['热线：12345', '熱線：12345'],
    ['版权所有 某某网', '版權所有 某某網'],
    ['Copyright © 2024 Example', 'Copyright © 2024 Example'],
    ['禁止转载', '禁止轉載'],
    ['未经授权不得转载', '未經授權不得轉載'],
    ['来源：嘉兴日报', '來源:嘉興日報'],
    ['相关新闻', '相關新聞'],
    ['推荐阅读', '推薦閱讀'],
    ['上一篇：某某新闻', '上一篇：某某新聞'],
    ['下一篇：某某新闻', '下一篇：某某新聞'],
  ];
  it.each(pairs)('%s / %s', (simplified, traditional) => {
    expect(isFooterStart(simplified)).toBe(true);
    expect(isFooterStart(traditional)).toBe(true);
  });

  it('does not take a sentence that mentions a source for a footer', () => {
    expect(isFooterStart('来源于群众的智慧，最终服务于群众。')).toBe(false);
    expect(isFooterStart('据新华社报道，来源：不详的消息不可信。')).toBe(false);
  });
});

describe('breadcrumbs', () => {
  it.each([
    ['您的位置:首页 > 浙江 > 嘉兴 > 要闻 新闻详情', ['首页', '浙江', '嘉兴', '要闻']],
    ['您的位置:首頁 > 浙江 > 嘉興 > 要聞 新聞詳情', ['首頁', '浙江', '嘉興', '要聞']],
    ['当前位置：首页 > 海宁新闻 > 镇街动态', ['首页', '海宁新闻', '镇街动态']],
    ['當前位置：首頁 » 地方 » 台中', ['首頁', '地方', '台中']],
    ['首页 > 新闻 > 正文', ['首页', '新闻']],
    ['首頁 › 地方 › 台中', ['首頁', '地方', '台中']],
  ])('%s', (line, parts) => {
    expect(isBreadcrumb(line)).toBe(true);
    expect(breadcrumbParts(line)).toEqual(parts);
  });

  it('does not take a sentence for a breadcrumb', () => {
    expect(isBreadcrumb('首页设计大赛昨日开幕，共有三百件作品参展。')).toBe(false);
  });
});

describe('tools, share rows and navigation', () => {
  it.each([
    ['分享到：微信 微博 QQ空间', '分享到：微信 微博 QQ空間'],
    ['扫一扫，手机看新闻', '掃一掃，手機看新聞'],
    ['【打印本页】【关闭窗口】', '【打印本頁】【關閉窗口】'],
    ['【字号 大 中 小】', '【字號 大 中 小】'],
    ['打印本页', '打印本頁'],
    ['关闭窗口', '關閉窗口'],
  ])('%s / %s', (simplified, traditional) => {
    expect(isToolLine(simplified)).toBe(true);
    expect(isToolLine(traditional)).toBe(true);
  });

  it('finds navigation rows in both scripts', () => {
    expect(isNavRow('最新原创 专题 新经济 曝光台 中国访谈 温州 绍兴 衢州 淳安 岱山 桐庐 文娱 元宇宙')).toBe(true);
    expect(isNavRow('最新原創 專題 新經濟 曝光臺 中國訪談 溫州 紹興 衢州 淳安 岱山 桐廬 文娛 元宇宙')).toBe(true);
    expect(isNavRow('首页 | 新闻 | 体育 | 财经 | 房产')).toBe(true);
    expect(isNavRow('注重谋划，以项目拉动发展')).toBe(false);
    expect(isNavRow('嘉興市舉行2022年度第一次“互學互比互賽”')).toBe(false);
  });

  it('finds photo captions', () => {
    expect(isPhotoCaption('图为改造后的新华小区口袋公园。（记者 张晓明 摄）')).toBe(true);
    expect(isPhotoCaption('圖為改造後的口袋公園')).toBe(true);
    expect(isPhotoCaption('新华社记者 李四 摄')).toBe(true);
    expect(isPhotoCaption('拿出10万元来做房产投资 蔡雪婧/摄')).toBe(true);
    expect(isPhotoCaption('他说，这张照片是去年拍摄的，很有纪念意义。')).toBe(false);
  });

  it('tells prose from headlines', () => {
    expect(isProse('立夏一過,萬物自此走向繁茂。')).toBe(true);
    expect(isProse('谁来为无序拆房“埋单”？')).toBe(false);
    expect(isProse('注重謀劃,以項目拉動發展')).toBe(false);
  });
});

describe('cleanBody', () => {
  const seedLike = [
    '推薦',
    '最新原創 專題 新經濟 曝光臺 中國訪談 中國三分鐘 沖浪特殊資産 潮評社 溫州 紹興 衢州 淳安 岱山 桐廬 文娛 元宇宙',
    '您的位置:首頁 > 浙江 > 嘉興 > 要聞 新聞詳情',
    '嘉興日報 · 記者 裘建鋒 | 發佈時間2022-05-07 09:23:18\u00a0\u00a0\u00a0\u00a0',
    '',
    '\u3000\u3000立夏一過,萬物自此走向繁茂。5月的嘉禾大地,疫情雖仍有侵擾,但總體可控。',
    '注重謀劃,以項目拉動發展',
    '秀洲區天鵝湖畔的長三角智慧産業園一期南區項目,是此次活動的第一站。',
    '(原文標題:項目為王 逆風奔跑)',
    '來源:嘉興日報\u00a0\u00a0\u00a0\u00a0| 撰稿:記者 裘建鋒\u00a0\u00a0\u00a0\u00a0| 責編:陸姍姍\u00a0\u00a0\u00a0\u00a0審核:張淵',
    '新聞投稿:184042016@qq.com\u00a0\u00a0\u00a0\u00a0新聞熱線:13157110107',
    '來源:嘉興日報\u00a0\u00a0\u00a0\u00a0| 撰稿:記者 裘建鋒\u00a0\u00a0\u00a0\u00a0| 責編:陸姍姍\u00a0\u00a0\u00a0\u00a0審核:張淵',
  ];

  it('keeps the body and turns the furniture into metadata (Traditional)', () => {
    const { paragraphs, meta } = cleanBody(seedLike);
    expect(paragraphs).toEqual([
      '立夏一過,萬物自此走向繁茂。5月的嘉禾大地,疫情雖仍有侵擾,但總體可控。',
      '注重謀劃,以項目拉動發展',
      '秀洲區天鵝湖畔的長三角智慧産業園一期南區項目,是此次活動的第一站。',
    ]);
    expect(meta).toEqual({
      author: '裘建鋒',
      source: '嘉興日報',
      publishedRaw: '2022-05-07 09:23:18',
      headDateRaw: '2022-05-07 09:23:18',
      breadcrumb: ['首頁', '浙江', '嘉興', '要聞'],
      originalTitle: '項目為王 逆風奔跑',
    });
  });

  it('does the same on the Simplified text', () => {
    const simplified = seedLike.map((l) =>
      l
        .replace(/嘉興日報/g, '嘉兴日报')
        .replace(/記者 裘建鋒/g, '记者 裘建锋')
        .replace('發佈時間', '发布时间')
        .replace('您的位置:首頁', '您的位置:首页')
        .replace(/來源/g, '来源')
        .replace(/新聞投稿/g, '新闻投稿'),
    );
    const { meta } = cleanBody(simplified);
    expect(meta.author).toBe('裘建锋');
    expect(meta.source).toBe('嘉兴日报');
    expect(meta.breadcrumb).toEqual(['首页', '浙江', '嘉興', '要聞']);
  });

  it('cuts a footer only in the last part of the text', () => {
    const long = '这是一个很长的段落，讲述了事情的来龙去脉，包括时间、地点和人物。'.repeat(10);
    const lines = [long, '来源：记者的采访笔记显示，当时现场秩序井然。', long, long, '来源：本报', '责任编辑：王丽'];
    const { paragraphs, meta } = cleanBody(lines);
    expect(paragraphs).toHaveLength(4);
    expect(paragraphs[1]).toContain('采访笔记');
    expect(meta.source).toBe('本报');
  });

  it('drops related links, share rows and captions in the body, and trailing credits', () => {
    const { paragraphs, meta } = cleanBody([
      '第一段正文，有一些内容，说明了事情的经过。',
      '图为活动现场。（记者 张三 摄）',
      '分享到：微信 微博',
      '第二段正文，继续讲述后来的发展，以及各方的反应。',
      '（记者 李四）',
    ]);
    expect(paragraphs).toEqual(['第一段正文，有一些内容，说明了事情的经过。', '第二段正文，继续讲述后来的发展，以及各方的反应。']);
    expect(meta.author).toBe('李四');
  });

  it('reads a closing credit inside the last paragraph without cutting it', () => {
    const last = '对此他付之一笑：“这样的说法没有道理。”（姚峰 上海报道）';
    const { paragraphs, meta } = cleanBody(['第一段正文，有一些内容，说明了事情的经过。', last]);
    expect(paragraphs.at(-1)).toBe(last);
    expect(meta.author).toBe('姚峰');
  });

  it('takes a bare name under the headline as the author', () => {
    const { paragraphs, meta } = cleanBody(['胡平', '人心不会熄灭，但它可能蒙上灰烬而不再燃烧。灰烬本来是燃烧的产物。']);
    expect(meta.author).toBe('胡平');
    expect(paragraphs).toHaveLength(1);
  });

  it('trims lines in linear time, whatever blank runs they hold (found by fuzzing)', () => {
    // The trailing-blank pattern used to restart at every position of a blank run inside a line.
    const line = `记者从市里获悉${'\u3000'.repeat(100_000)}今年全市新开工重大项目120个，总投资超过一千亿元。`;
    const t0 = performance.now();
    const { paragraphs } = cleanBody([`  ${line}\u3000 `]);
    // A wide margin: the quadratic version took minutes; a slow, busy machine takes well under this.
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(paragraphs).toEqual([line]);
  });

  it('never throws and only returns lines it was given', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('来源：新华社', '记者 张三', '分享到', '首页 > 新闻', '，。', '')), { maxLength: 30 }), (lines) => {
        const { paragraphs } = cleanBody(lines);
        const trimmed = new Set(lines.map((l) => l.replace(/^[\s\u00a0\u3000\u200b\ufeff]+|[\s\u00a0\u3000\u200b\ufeff]+$/g, '')));
        return paragraphs.every((p) => trimmed.has(p));
      }),
      { numRuns: 200 },
    );
  });
});
