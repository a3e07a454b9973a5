import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../../src/text/html-text.js';

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(decodeEntities('&ldquo;嘉兴&rdquo;&mdash;&hellip;&middot;&amp;&lt;&gt;&quot;&apos;')).toBe('“嘉兴”—…·&<>"\'');
    expect(decodeEntities('&#20013;&#x6587;&#X6587;&#128512;')).toBe('中文文😀');
    expect(decodeEntities('&eacute;&Omega;&omega;&yen;&copy;&times;&nbsp;')).toBe('éΩω¥©×\u00a0');
    expect(decodeEntities('&iexcl;&yuml;&sigma;&sigmaf;')).toBe('¡ÿσς'); // ends of the generated tables
    expect(decodeEntities('no references at all')).toBe('no references at all');
  });

  it('maps C1 references to Windows-1252 and invalid code points to U+FFFD', () => {
    expect(decodeEntities('&#150;&#147;')).toBe('–“');
    expect(decodeEntities('&#0;&#xD800;&#x110000;')).toBe('\ufffd\ufffd\ufffd');
  });

  it('accepts legacy names without a semicolon but leaves unknown names alone', () => {
    expect(decodeEntities('a &amp b &nbsp c')).toBe('a & b \u00a0 c');
    expect(decodeEntities('&nosuch; &ldquo x & y')).toBe('&nosuch; &ldquo x & y');
  });
});

describe('htmlToText', () => {
  it('keeps block structure as lines and inline markup as nothing', () => {
    const html = '<div><h2>标题</h2><p>嘉<b>兴</b><a href="x">日报</a></p><ul><li>一</li><li>二</li></ul>尾<br>行<br/>末</div>';
    expect(htmlToText(html)).toBe('标题\n嘉兴日报\n一\n二\n尾\n行\n末');
  });

  it('drops scripts, styles and comments', () => {
    const html = '<p>a</p><script type="text/javascript">var s = "<p>no</p>";</script><style>p{color:red}</style><!-- <p>no</p> --><p>b</p>';
    expect(htmlToText(html)).toBe('a\nb');
  });

  it('collapses spaces inside lines, trims lines and removes empty ones', () => {
    const html = '<p>　　嘉兴日报讯&nbsp;&nbsp;  记者\t张三 </p>\n\n<p>   </p><p>&nbsp;</p><p>第二段</p>';
    expect(htmlToText(html)).toBe('嘉兴日报讯 记者 张三\n第二段');
  });

  it('does not turn decoded entities into markup', () => {
    expect(htmlToText('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>')).toBe('<script>alert(1)</script>');
    expect(htmlToText('1 &lt; 2 and a < b')).toBe('1 < 2 and a < b');
  });

  it('copes with quotes and ">" inside attributes, CDATA and unterminated tags', () => {
    expect(htmlToText('<img alt="a>b" src="x.png">图<a title=\'c>d\'>文</a>')).toBe('图文');
    expect(htmlToText('<![CDATA[<p>内容</p>]]>')).toBe('内容');
    expect(htmlToText('前文<p class="x')).toBe('前文');
    expect(htmlToText('前文<!-- 未结束')).toBe('前文');
  });

  it('returns an empty string for empty input', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText('<p></p><br>')).toBe('');
  });

  it('never leaves a tag or an empty line in its output', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<p>', '</p>', '<b>', '<br>', '文', ' ', '\n', '&amp;', '<div class="a">', 'x')), (parts) => {
        const out = htmlToText(parts.join(''));
        expect(out).not.toMatch(/<\/?[a-z]/);
        if (out) expect(out.split('\n').every((l) => l.length > 0 && l === l.trim())).toBe(true);
      }),
    );
  });

  it('finishes quickly on hostile input (5 MB)', () => {
    const size = 5 * 1024 * 1024;
    const inputs = [
      '<div>'.repeat(size / 5),
      '<a '.repeat(size / 3),
      '<a x="'.repeat(size / 6),
      '<!--'.repeat(size / 4),
      '<script>'.repeat(size / 8),
      '&#'.repeat(size / 2),
      '<a b="x> <a b="'.repeat(size / 16),
      '<p>嘉兴 &amp; <b>b</b> '.repeat(size / 21),
    ];
    // A quadratic path would blow the test timeout; speed itself is a benchmark figure.
    for (const input of inputs) expect(typeof htmlToText(input)).toBe('string');
  });
});
