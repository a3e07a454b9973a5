# Builds the demo sample feeds in data/samples/ (text written for this project). Run from data/samples/.
import html
def esc(s): return html.escape(s, quote=False)

def rss(title, link, items, encoding='UTF-8'):
    out = [f'<?xml version="1.0" encoding="{encoding}"?>', '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">', '<channel>', f'<title>{esc(title)}</title>', f'<link>{link}</link>', '<description>xiangxun demo feed</description>']
    for it in items:
        out.append('<item>')
        out.append(f'<title>{esc(it["title"])}</title>')
        out.append(f'<link>{it["link"]}</link>')
        out.append(f'<guid isPermaLink="false">{it["guid"]}</guid>')
        out.append(f'<pubDate>{it["date"]}</pubDate>')
        if it.get('author'): out.append(f'<dc:creator>{esc(it["author"])}</dc:creator>')
        body = ''.join(f'<p>{esc(p)}</p>' for p in it['paras'])
        out.append(f'<description><![CDATA[{body}]]></description>')
        out.append('</item>')
    out += ['</channel>', '</rss>', '']
    return '\n'.join(out)

def atom(title, link, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">', f'<title>{esc(title)}</title>', f'<link href="{link}"/>', f'<id>{link}</id>', '<updated>2026-11-27T08:00:00+08:00</updated>']
    for it in items:
        body = ''.join(f'<p>{esc(p)}</p>' for p in it['paras'])
        out += ['<entry>', f'<title>{esc(it["title"])}</title>', f'<link href="{it["link"]}"/>', f'<id>{it["guid"]}</id>', f'<published>{it["date"]}</published>', f'<updated>{it["date"]}</updated>']
        if it.get('author'): out.append(f'<author><name>{esc(it["author"])}</name></author>')
        out += [f'<content type="html">{esc(body)}</content>', '</entry>']
    out += ['</feed>', '']
    return '\n'.join(out)

def rdf(title, link, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">', f'<channel rdf:about="{link}"><title>{esc(title)}</title><link>{link}</link><description>xiangxun demo feed</description></channel>']
    for it in items:
        body = ''.join(f'<p>{esc(p)}</p>' for p in it['paras'])
        out += [f'<item rdf:about="{it["link"]}">', f'<title>{esc(it["title"])}</title>', f'<link>{it["link"]}</link>', f'<dc:date>{it["date"]}</dc:date>', f'<description>{esc(body)}</description>', '</item>']
    out += ['</rdf:RDF>', '']
    return '\n'.join(out)

# Links point at the demo's own server ({pages} is replaced when served), so nothing leaves 127.0.0.1.
B = '{pages}'

jx_trad = [
  dict(title='嘉興市舉行2022年度第一次“互學互比互賽”', link='{pages}/jiaxing-2022-05-07.html', guid='jx-trad-0507-01', date='Sat, 07 May 2022 09:23:18 +0800', author='裘建鋒',
       paras=['5月6日,嘉興市舉行2022年度第一次“互學互比互賽”活動,圍繞統籌疫情防控和經濟社會發展開展實地觀摩。']),
  dict(title='海寧市推出“一件事”聯辦服務 企業開辦半天辦結', link=f'{B}/trad/haining-yijianshi.html', guid='jx-trad-1126-02', date='Thu, 26 Nov 2026 10:05:00 +0800', author='沈悅',
       paras=['記者昨天從海寧市行政服務中心獲悉,海寧市本月起推出企業開辦“一件事”聯辦服務,營業執照、公章刻制、稅務登記和社保登記可在一個窗口一次辦結,平均用時由過去的兩個工作日壓縮到半天。',
              '據介紹,聯辦服務上線兩周以來,已有三百四十多家新設企業通過這一方式完成開辦。海寧市還在長安鎮、許村鎮設立了延伸服務點,方便企業就近辦理。',
              '下一步,海寧市將把聯辦範圍擴展到企業變更和注銷,力爭年底前實現高頻事項“最多跑一次”全覆蓋。']),
  dict(title='桐鄉烏鎮迎來冬季旅遊旺季 遊客量同比增長兩成', link=f'{B}/trad/tongxiang-wuzhen.html', guid='jx-trad-1127-03', date='Fri, 27 Nov 2026 16:40:00 +0800', author=None,
       paras=['隨著氣溫走低,桐鄉市烏鎮景區迎來冬季旅遊旺季。景區數據顯示,11月以來累計接待遊客六十二萬人次,同比增長約兩成,其中外省遊客佔比超過一半。',
              '為應對客流高峰,烏鎮景區增開了夜間遊船班次,並在東柵、西柵之間加密接駁車。桐鄉市文旅部門提醒遊客錯峰出行,提前在網上預約門票。', '此外,烏鎮今年新推出的水鄉非遺市集每逢週末開放,遊客可以現場觀看藍印花布、竹編和木雕等傳統技藝展示,並參與手作體驗。景區還推出了冬季夜遊套票,包含遊船、演出和特色小吃,受到年輕遊客歡迎。']),
]

jx_simp = [
  dict(title='嘉兴市举行2022年度第一次“互学互比互赛”', link=f'{B}/simp/jiaxing-hxhbhs.html', guid='https://samples.xiangxun.invalid/simp/jiaxing-hxhbhs.html', date='2022-05-07T08:10:00+08:00', author='裘建锋',
       paras=['昨天,我市举行2022年度第一次“互学互比互赛”活动,围绕统筹疫情防控和经济社会发展,开展实地观摩,学经验、比精神、赛实绩。市委书记张兵逐一进行现场点评。',
              '观摩组先后来到秀洲区、嘉兴港区、海盐县、嘉兴经开区、平湖市、海宁市、南湖区和桐乡市,实地察看了一批重大产业项目的建设进度。',
              '张兵说,各地要坚持以经济建设为中心,高效统筹好疫情防控和经济社会发展,切实做到“疫情要防住、经济要稳住、发展要安全”。']),
  dict(title='嘉善县开通首条跨省公交定制线路 直达上海青浦', link=f'{B}/simp/jiashan-bus.html', guid='https://samples.xiangxun.invalid/simp/jiashan-bus.html', date='2026-11-27T07:30:00+08:00', author='王晓敏',
       paras=['11月26日起,嘉善县开通首条跨省公交定制线路,从嘉善高铁站出发,经西塘古镇直达上海青浦区朱家角,全程约五十分钟,票价十二元。',
              '这条线路主要服务在两地之间通勤的上班族和周末出游的市民,早晚高峰各安排四个班次,乘客可通过手机小程序提前预约座位。',
              '嘉善县交通运输局表示,今后将根据客流情况增加班次,并研究开通至苏州吴江的定制线路,进一步方便长三角生态绿色一体化发展示范区内的出行。']),
  dict(title='平湖市举办新能源汽车零部件产业对接会', link=f'{B}/simp/pinghu-ev.html', guid='https://samples.xiangxun.invalid/simp/pinghu-ev.html', date='2026-11-25T15:00:00+08:00', author=None,
       paras=['11月25日,平湖市新能源汽车零部件产业对接会在平湖经济技术开发区举行,来自长三角的八十余家整车和零部件企业参加,现场签约项目十二个,总投资约四十六亿元。',
              '近年来,平湖市围绕新能源汽车产业链招大引强,已集聚相关企业一百三十多家。平湖市相关负责人表示,将继续优化营商环境,为企业提供用地、人才和融资等全方位服务。']),
]

hz_gbk = [
  dict(title='杭州地铁3号线西延段开通试运营', link=f'{B}/gbk/hz-metro-3.html', guid='hz-gbk-1128-01', date='Sat, 28 Nov 2026 06:00:00 +0800', author='李明',
       paras=['11月28日6时,杭州地铁3号线西延段正式开通试运营。西延段从星桥站延伸至余杭区的文一西路,新设车站六座,线路长度约十二公里。',
              '西延段开通后,余杭区未来科技城一带的居民可以直接换乘前往武林广场和西湖景区,通勤时间缩短二十分钟左右。杭州地铁提醒乘客,试运营初期首末班车时间与既有区段保持一致。']),
  dict(title='临平区启动老旧小区加装电梯集中攻坚', link=f'{B}/gbk/linping-lift.html', guid='hz-gbk-1127-02', date='Fri, 27 Nov 2026 11:20:00 +0800', author=None,
       paras=['临平区近日启动老旧小区加装电梯集中攻坚行动,计划到明年6月底新增加装电梯一百五十台,重点覆盖建成于上世纪九十年代的住宅小区。',
              '临平区住建局介绍,今年以来已有八十六台电梯完成加装并投入使用,申请加装的单元可享受每台最高二十万元的财政补助。']),
  dict(title='西湖区发布2026年冬季空气质量保障方案', link=f'{B}/gbk/xihu-air.html', guid='hz-gbk-1126-03', date='Thu, 26 Nov 2026 09:00:00 +0800', author='陈静',
       paras=['杭州市西湖区日前发布2026年冬季空气质量保障方案,对建筑工地扬尘、餐饮油烟和机动车尾气实行精细化管控。',
              '方案要求,全区在建工地全部落实围挡、覆盖、冲洗等措施,重污染天气预警期间停止土石方作业。西湖区生态环境分局表示,将通过网格化巡查和在线监测确保各项措施落到实处。']),
]

wz_lying = [
  dict(title='龙港市新城片区首所九年一贯制学校开工', link=f'{B}/wz/longgang-school.html', guid='wz-1127-01', date='2026-11-27 10:30:00', author=None,
       paras=['11月27日,龙港市新城片区首所九年一贯制学校正式开工建设。学校规划设置四十五个班级,可提供学位两千余个,预计2028年秋季投入使用。',
              '龙港市教育局表示,学校建成后将有效缓解新城片区入学压力,让周边居民的孩子在家门口就能上好学。']),
  dict(title='乐清市开展电气行业安全生产大检查', link=f'{B}/wz/yueqing-safety.html', guid='wz-1126-02', date='2026年11月26日 14:00', author='周涛',
       paras=['为防范冬季安全生产事故,乐清市近日在全市电气行业开展为期一个月的安全生产大检查,重点检查企业用电安全、消防通道和危化品存放。',
              '截至目前,检查组已走访企业三百余家,发现并督促整改隐患四百二十处。乐清市应急管理局提醒企业落实主体责任,定期开展应急演练。']),
]

nb_rdf = [
  dict(title='宁波舟山港年集装箱吞吐量突破三千七百万标准箱', link=f'{B}/nb/port-teu.html', guid=None, date='2026-11-27T18:00:00+08:00',
       paras=['据宁波舟山港集团消息,截至11月27日,宁波舟山港今年累计完成集装箱吞吐量三千七百万标准箱,提前一个多月超过去年全年水平。',
              '今年以来,宁波舟山港新开通集装箱航线二十余条,航线总数达到三百多条,连接两百多个国家和地区的六百多个港口。']),
  dict(title='象山县石浦渔港迎来冬汛开捕', link=f'{B}/nb/xiangshan-fishing.html', guid=None, date='2026-11-26T07:00:00+08:00',
       paras=['随着冬汛到来,宁波市象山县石浦渔港一派繁忙景象。数百艘渔船满载带鱼、鲳鱼和梭子蟹陆续返港,码头上收购商和游客络绎不绝。',
              '象山县海洋与渔业局提醒渔民注意冬季海上大风天气,出海作业前及时关注气象预报,确保生产安全。']),
]

def write(name, text, encoding='utf-8'):
    with open(name, 'wb') as fh: fh.write(text.encode(encoding))

write('jiaxing-traditional.xml', rss('嘉興新聞(繁體示例)', f'{B}/trad/', jx_trad))
write('jiaxing-simplified.atom', atom('嘉兴在线(示例)', f'{B}/simp/', jx_simp))
write('hangzhou-gbk.xml', rss('杭州新闻(GBK 示例)', f'{B}/gbk/', hz_gbk, encoding='GBK'), 'gbk')
# Lying charset: UTF-8 bytes whose prolog (and HTTP header) claim gb2312.
write('wenzhou-lying-charset.xml', rss('温州新闻(字符集声明有误的示例)', f'{B}/wz/', wz_lying, encoding='gb2312'))
write('ningbo.rdf', rdf('宁波新闻(RDF 示例)', f'{B}/nb/', nb_rdf))
