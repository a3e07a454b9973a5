// Invented news (written for this project, no real article) with a headline as reference,
// one pair per way a lead can mislead: used by `npm run eval` when ../shared is absent.
import type { Pair } from './summaries.js';

const pair = (id: string, reference: string, lines: readonly string[]): Pair => ({
  id: `synthetic-${id}`,
  source: 'synthetic',
  article: lines.join('\n'),
  reference,
  secondary: false,
});

export const SYNTHETIC_SUMMARY_PAIRS: readonly Pair[] = [
  pair('hard-news', '临江市开通首条城际快线', [
    '本报讯（记者 方禾 通讯员 林一）昨天上午，临江市首条城际快线正式开通运营，从市区到高铁新城只需二十分钟。',
    '快线全长三十二公里，设站十二座，首班车六点发出。',
    '市交通局负责人表示，年内还将开通两条支线。',
  ]),
  pair('scene-setting', '青石镇举办首届茶叶节', [
    '清明前后，满山新绿。茶农们背着竹篓穿行在茶垄之间，空气里都是嫩芽的清香。',
    '昨天，青石镇举办首届茶叶节，二十余家茶企现场签约，意向金额超过一亿元。',
    '镇党委书记说，茶叶节将每年举办一次。',
  ]),
  pair('caption-lead', '南溪大桥主体完工', [
    '图为施工人员在桥面上进行最后一段合龙作业。记者 叶舟 摄',
    '南溪大桥主体工程昨日完工，比原计划提前两个月，预计十月通车。',
    '大桥连接南北两岸的两个工业园区，通车后过江时间将缩短一半。',
  ]),
  pair('question-lead', '社区食堂为何排长队 一餐只要十元', [
    '一家社区食堂为何天天排长队？',
    '原来，这里一荤两素只要十元，六十岁以上老人还能再打八折。',
    '食堂由街道委托餐饮企业经营，每天供应午餐四百余份。',
  ]),
  pair('deck-byline', '东湖公园改造完成重新开放', [
    '东湖公园今起重新开放',
    '记者 江远',
    '经过一年改造，东湖公园今天重新向市民开放，新增步道五公里、停车位三百个。',
    '公园管理处提醒，节假日游客较多，请市民错峰出行。',
  ]),
  pair('list', '全市推出三项惠民措施', [
    '市政府近日推出三项惠民措施：1.公交换乘一小时内免费；2.社区卫生服务中心延长服务到晚八点；3.新增公共自行车两千辆。',
    '措施自下月一日起实施。',
  ]),
  pair('semicolons', '新区明确今年重点工作', [
    '新区今年重点工作包括：一是加快轨道交通建设；二是推进老旧小区改造；三是新建中小学校五所；',
    '四是完善公共文化设施；',
  ]),
  pair('fused-heading', '各地加强防汛准备', [
    '（一）加强组织领导　各地要把防汛工作摆在突出位置，主要负责人靠前指挥，确保责任落实到人。',
    '（二）做好物资储备。各地要提前储备沙袋、水泵等物资，确保汛情发生时拉得出、用得上。',
  ]),
];
