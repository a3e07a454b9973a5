// How the summariser finds the news: it starts from the lead and leaves it only for a reason
// in the text's structure. Every article here is invented for the test.
import { describe, expect, it } from 'vitest';
import { codePointLength } from '../../../src/text/length.js';
import { extractiveSummary } from '../../../src/text/summary.js';

const summarize = (lines: readonly string[], budget?: number): string => extractiveSummary({ title: '', body: lines.join('\n'), budget });

describe('the lead is the news', () => {
  it('keeps an undated hard-news lead even when a dated sentence follows', () => {
    const s = summarize(['市交通局近日公布新一轮公交线路调整方案，涉及线路二十条。', '昨天，方案在市民中心公开征求意见。'], 40);
    expect(s).toBe('市交通局近日公布新一轮公交线路调整方案，涉及线路二十条。');
    const plan = summarize(['今年以来，全市新增城市绿道一百二十公里。', '昨天，滨江绿道最后一段贯通。'], 30);
    expect(plan).toBe('今年以来，全市新增城市绿道一百二十公里。');
  });
});

describe('how long the summary is', () => {
  const later = '南延段建设历时四年，共完成投资九十五亿元。';

  it('ends with the lead paragraph once it fills two thirds of the budget', () => {
    const lead =
      '市轨道交通集团昨天宣布，地铁五号线南延段将于本月二十八日开通初期运营，全长十二点六公里，设车站八座，沿线居民出行时间可缩短一半。首班车六点发车，末班车二十三点发车，高峰时段最小行车间隔四分钟，平峰时段七分钟，周末全天按高峰组织。';
    expect(summarize([lead, later])).toBe(lead);
  });

  it('goes on into the next paragraph while the lead paragraph is short', () => {
    const lead = '地铁五号线南延段本月二十八日开通。全长十二点六公里，设车站八座。';
    expect(summarize([lead, later])).toBe(lead + later);
  });
});

describe('an anecdote or scene-setting opening', () => {
  it('is not an opening that gives a figure: that reports a fact', () => {
    expect(summarize(['老街上的5家早餐店都排起了长队！', '昨天，市商务局发布早餐工程考核结果。'])).toBe('老街上的5家早餐店都排起了长队！昨天，市商务局发布早餐工程考核结果。');
  });

  it('yields to the paragraph that opens on the day of the event', () => {
    const body = [
      '晨雾还没散尽，湖面上已经有了点点渔火。岸边的柳树抽出新芽，空气里带着泥土的味道。',
      '昨天，桃溪镇举行首届开湖节，二十多条渔船同时下湖，吸引游客上万人次。',
      '镇里计划把开湖节办成每年一次的节庆活动。',
    ];
    expect(summarize(body, 40)).toBe('昨天，桃溪镇举行首届开湖节，二十多条渔船同时下湖，吸引游客上万人次。');
    expect(summarize(body).startsWith('昨天，桃溪镇举行首届开湖节')).toBe(true);
  });

  it('yields after an opening quotation, unless the next sentence only attributes it', () => {
    const quote = ['“这条路我们盼了整整十年！”', '12日上午，山前村至县城的公路正式通车，全长十八公里。'];
    expect(summarize(quote, 40)).toBe('12日上午，山前村至县城的公路正式通车，全长十八公里。');
    const attributed = ['“明年全县所有行政村都将通上公交。”', '5日上午，县长在全县交通工作会议上表示。'];
    expect(summarize(attributed).startsWith('“明年全县所有行政村都将通上公交。”')).toBe(true);
  });

  it('yields inside the lead paragraph too, after a general remark', () => {
    const body = ['本报讯（记者 方禾）水是生命之源，饮水安全关系千家万户。3日，市水务集团宣布第二水厂扩建工程完工，日供水能力提高一倍。'];
    expect(summarize(body, 50)).toBe('3日，市水务集团宣布第二水厂扩建工程完工，日供水能力提高一倍。');
  });
});

describe('lines that are not the lead', () => {
  it('drops bylines, dateline-only lines and the dateline before the lead', () => {
    const body = ['记者 周明 通讯员 吴兰', '本报讯', '新华社杭州5月6日电（记者 赵七）杭州湾跨海铁路大桥今天合龙，预计明年通车。', '大桥全长二十九公里。'];
    expect(summarize(body)).toBe('杭州湾跨海铁路大桥今天合龙，预计明年通车。大桥全长二十九公里。');
    expect(summarize(['某某网消息（晚间新闻）：全省高考报名人数今年首次突破六十万。'])).toBe('全省高考报名人数今年首次突破六十万。');
    expect(summarize(['城南晚报讯　记者 钱江　孙海　城南区新建的三座口袋公园昨日向市民开放。'])).toBe('城南区新建的三座口袋公园昨日向市民开放。');
    expect(summarize(['（本网记者 李青 6月2日东港报道）东港码头二期工程昨日投入使用。'])).toBe('东港码头二期工程昨日投入使用。');
  });

  it('does not read a word ending in 讯 as a dateline', () => {
    expect(summarize(['据行业资讯周三援引知情人士报道，两家车企正在商谈合资建厂。'])).toBe('据行业资讯周三援引知情人士报道，两家车企正在商谈合资建厂。');
  });

  it('drops a deck or headline line that repeats the title', () => {
    const body = ['老城区改造启动', '涉及居民三千余户　年内完成一期', '市住建局昨天宣布，老城区有机更新项目正式启动，首批涉及居民三千余户。'];
    const title = '老城区改造启动 涉及居民三千余户年内完成一期';
    expect(extractiveSummary({ title, body: body.join('\n') })).toBe('市住建局昨天宣布，老城区有机更新项目正式启动，首批涉及居民三千余户。');
    // Deck segments fused to the lead with wide spaces.
    expect(summarize(['全市新增停车位五千个　缓解停车难　记者昨天从市城管局获悉，今年全市新增公共停车位五千个。'])).toBe(
      '记者昨天从市城管局获悉，今年全市新增公共停车位五千个。',
    );
  });

  it('opens with the deck when no title is given, as a sentence', () => {
    const body = ['老城区改造启动', '涉及居民三千余户　年内完成一期', '市住建局昨天宣布，老城区有机更新项目正式启动，首批涉及居民三千余户。'];
    expect(summarize(body)).toBe('老城区改造启动。涉及居民三千余户，年内完成一期。市住建局昨天宣布，老城区有机更新项目正式启动，首批涉及居民三千余户。');
    // Room for the deck only: the deck says the story in a line.
    expect(summarize(body, 20)).toBe('老城区改造启动。');
    // A byline or a stamp between deck and lead is still dropped.
    const withByline = ['滨江公园二期下月开放', '本报记者王小明通讯员李大华', '2026-03-02 08:15', '滨江公园二期工程昨日通过验收，新增绿地十二公顷。'];
    expect(summarize(withByline)).toBe('滨江公园二期下月开放。滨江公园二期工程昨日通过验收，新增绿地十二公顷。');
  });

  it('keeps a deck the title does not say only when it reports something', () => {
    // The deck names who acted (an institution that announces): it reports, so it is kept.
    const reports = ['市住建局宣布首批改造三千余户', '市住建局昨天宣布，老城区有机更新项目正式启动。'];
    expect(extractiveSummary({ title: '老城区改造启动', body: reports.join('\n') })).toBe('市住建局宣布首批改造三千余户。市住建局昨天宣布，老城区有机更新项目正式启动。');
    // A slogan above the lead does not.
    const slogan = ['聚焦民生，扎实推进城市更新', '市住建局昨天宣布，老城区有机更新项目正式启动。'];
    expect(extractiveSummary({ title: '老城区改造启动', body: slogan.join('\n') })).toBe('市住建局昨天宣布，老城区有机更新项目正式启动。');
  });

  it('never opens with a section heading, or with a stack of caption lines', () => {
    expect(summarize(['第二章　总体目标', '到二〇三〇年，全市公交出行比例达到百分之六十。'])).toBe('到二〇三〇年，全市公交出行比例达到百分之六十。');
    const captions = ['志愿者在社区分发物资', '老人们排队领取口罩', '工作人员登记信息', '城东街道昨天启动“健康进社区”活动。'];
    expect(summarize(captions)).toBe('城东街道昨天启动“健康进社区”活动。');
  });

  it('drops a photo caption before the lead, however its credit is written', () => {
    for (const caption of [
      '图为志愿者在社区为老人测量血压。记者 林晓 摄',
      '志愿者在社区为老人测量血压。林晓摄',
      '志愿者在社区为老人测量血压。图/记者 林晓',
      '志愿者在社区为老人测量血压。（图片来源：城东街道）',
    ]) {
      const s = summarize([caption, '城东街道昨天启动“健康进社区”活动，全年将开展义诊五十场。']);
      expect(s, caption).toBe('城东街道昨天启动“健康进社区”活动，全年将开展义诊五十场。');
    }
    // A sentence that says where something was filmed is not a credit.
    expect(summarize(['市电视台昨天在古镇完成纪录片拍摄。', '该片预计明年播出。'])).toBe('市电视台昨天在古镇完成纪录片拍摄。该片预计明年播出。');
  });
});

describe('a question', () => {
  const body = ['老街的早餐店为何天天排长队？', '原来，店里的豆浆油条二十年没涨过价。', '店主说，明年也不打算涨。'];

  it('is kept with its answer when both fit', () => {
    expect(summarize(body, 40)).toBe('老街的早餐店为何天天排长队？原来，店里的豆浆油条二十年没涨过价。');
  });

  it('gives way to the answer when only one fits', () => {
    expect(summarize(body, 25)).toBe('原来，店里的豆浆油条二十年没涨过价。');
  });
});

describe('lists', () => {
  it('never takes a numbered item out of its sentence', () => {
    const body = ['市政府推出三项便民措施：1.公交换乘一小时内免费；2.社区医院延长服务到晚上八点；3.新增公共自行车两千辆。', '措施下月起实施。'];
    for (const budget of [20, 30, 45, 60, 200]) {
      const s = summarize(body, budget);
      expect(s.startsWith('市政府推出三项便民措施'), `${budget}: ${s}`).toBe(true);
      expect(codePointLength(s)).toBeLessThanOrEqual(budget);
    }
    // Cut after a whole item, marked.
    expect(summarize(body, 45)).toBe('市政府推出三项便民措施：1.公交换乘一小时内免费；2.社区医院延长服务到晚上八点…');
    expect(summarize(body, 30)).toBe('市政府推出三项便民措施：1.公交换乘一小时内免费…');
    // A comma inside an item is not where an item ends.
    const comma = ['市政府推出三项便民措施：1.公交换乘一小时内免费；2.社区医院延长服务，到晚上八点；3.新增公共自行车两千辆。'];
    expect(summarize(comma, 40)).toBe('市政府推出三项便民措施：1.公交换乘一小时内免费…');
  });

  it('reads a list over several lines as one sentence', () => {
    const body = ['今年全区重点抓好三件事：', '一是建成两所学校；', '二是改造十个老旧小区；', '三是新建一座体育馆。', '区长在会上作了部署。'];
    expect(summarize(body)).toBe('今年全区重点抓好三件事：一是建成两所学校；二是改造十个老旧小区；三是新建一座体育馆。区长在会上作了部署。');
    const cut = summarize(body, 32);
    expect(cut).toBe('今年全区重点抓好三件事：一是建成两所学校；二是改造十个老旧小区…');
  });

  it('summarises a text whose clauses end on ； and never on 。', () => {
    const body = ['开发区今年的目标是：引进项目三十个；新增就业五千人；', '完成投资一百亿元；'];
    const s = summarize(body);
    expect(s).toBe('开发区今年的目标是：引进项目三十个；新增就业五千人；完成投资一百亿元；');
    expect(summarize(['一是加快道路建设；二是完善排水管网；三是增加绿地；'], 20)).not.toBe('');
    expect(summarize(['一是加快道路建设；二是完善排水管网；三是增加绿地；'], 20).length).toBeGreaterThan(0);
  });
});

describe('headings fused to a sentence', () => {
  it('splits off an enumerated heading set apart by a space or a full stop', () => {
    expect(summarize(['（三）强化安全保障　各地要在汛期前完成水库巡查，发现隐患立即整改。'])).toBe('各地要在汛期前完成水库巡查，发现隐患立即整改。');
    expect(summarize(['一、总体要求', '（一）明确目标。全市力争三年内实现垃圾分类全覆盖。'])).toBe('全市力争三年内实现垃圾分类全覆盖。');
  });

  it('keeps a numbered sentence that is a whole sentence', () => {
    expect(summarize(['1.全市新建充电桩两千个，覆盖所有街道。'])).toBe('1.全市新建充电桩两千个，覆盖所有街道。');
  });
});
