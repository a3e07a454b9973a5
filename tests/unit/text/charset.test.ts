import { describe, expect, it } from 'vitest';
import { canonicalCharset, charsetFromContentType, declaredCharset, decodeBytes } from '../../../src/text/charset.js';
import { encodeBig5, encodeGb18030 } from '../../fakes/gbk.js';

const SIMPLIFIED = '嘉兴日报记者报道：秀洲区今天举行数字经济发展大会，来自长三角各地的企业代表参加了会议。';
const TRADITIONAL = '嘉興日報記者報導：秀洲區今天舉行數位經濟發展大會，來自長三角各地的企業代表參加了會議。';
const xmlDoc = (encoding: string | null, body: string): string =>
  `${encoding ? `<?xml version="1.0" encoding="${encoding}"?>` : ''}<rss version="2.0"><channel><title>${body}</title></channel></rss>`;
const htmlDoc = (head: string, body: string): string => `<html><head>${head}<title>t</title></head><body><p>${body}</p></body></html>`;

describe('decodeBytes', () => {
  it('honours a UTF-8 BOM and strips it', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SIMPLIFIED)]);
    expect(decodeBytes(bytes, 'text/xml; charset=gbk')).toEqual({ text: SIMPLIFIED, charset: 'utf-8', source: 'bom', warnings: [] });
  });

  it('honours a UTF-16LE BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SIMPLIFIED, 'utf16le')]);
    const d = decodeBytes(bytes);
    expect(d.charset).toBe('utf-16le');
    expect(d.text).toBe(SIMPLIFIED);
  });

  it('reads valid UTF-8 without any declaration', () => {
    expect(decodeBytes(Buffer.from(xmlDoc(null, SIMPLIFIED)))).toMatchObject({ charset: 'utf-8', source: 'utf-8' });
  });

  it('reads GBK with an encoding="gb2312" prolog', () => {
    const doc = xmlDoc('gb2312', SIMPLIFIED);
    const d = decodeBytes(encodeGb18030(doc), 'application/xml');
    expect(d.text).toBe(doc);
    expect(d).toMatchObject({ charset: 'gb18030', source: 'declaration' });
  });

  it('reads GBK with no declaration at all', () => {
    const doc = htmlDoc('', SIMPLIFIED);
    const d = decodeBytes(encodeGb18030(doc), null);
    expect(d.text).toBe(doc);
    expect(d.charset).toBe('gb18030');
  });

  it('keeps UTF-8 bytes that claim gb2312 (the strict UTF-8 attempt comes first)', () => {
    const doc = htmlDoc('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', SIMPLIFIED);
    const d = decodeBytes(Buffer.from(doc), 'text/html; charset=gb2312');
    expect(d).toMatchObject({ text: doc, charset: 'utf-8' });
  });

  it('reads GBK bytes whose HTTP header claims utf-8', () => {
    const doc = xmlDoc(null, SIMPLIFIED);
    const d = decodeBytes(encodeGb18030(doc), 'application/rss+xml; charset=utf-8');
    expect(d).toMatchObject({ text: doc, charset: 'gb18030' });
  });

  it('reads Big5 when it is declared', () => {
    const doc = htmlDoc('<meta charset="big5">', TRADITIONAL);
    const d = decodeBytes(encodeBig5(doc), 'text/html');
    expect(d).toMatchObject({ text: doc, charset: 'big5' });
  });

  it('tells undeclared Big5 from GBK by how the text reads', () => {
    const doc = htmlDoc('', TRADITIONAL);
    expect(decodeBytes(encodeBig5(doc)).text).toBe(doc);
  });

  it('ignores a charset that appears only inside a <script>', () => {
    const doc = htmlDoc(`<script>document.write('<meta charset="big5">');</script>`, SIMPLIFIED);
    const bytes = encodeGb18030(doc);
    expect(declaredCharset(bytes)).toBeNull();
    expect(decodeBytes(bytes)).toMatchObject({ text: doc, charset: 'gb18030' });
  });

  it('decodes truncated GB bytes with a replacement character instead of failing', () => {
    const bytes = encodeGb18030(`<?xml version="1.0" encoding="gbk"?><rss><channel><title>${SIMPLIFIED}`);
    const d = decodeBytes(bytes.subarray(0, bytes.length - 1)); // cut inside the final 。
    expect(d.charset).toBe('gb18030');
    expect(d.text.endsWith('会议\ufffd')).toBe(true);
  });

  it('reads a malformed <meta content="text/html" charset="gb2312">', () => {
    const doc = htmlDoc('<meta content="text/html" charset="gb2312">', SIMPLIFIED);
    expect(declaredCharset(Buffer.from(doc))).toBe('gb2312');
    expect(decodeBytes(encodeGb18030(doc)).text).toBe(doc);
  });
});

describe('charset helpers', () => {
  it('maps GB labels to gb18030 and Big5 labels to big5', () => {
    expect(canonicalCharset('GB2312')).toBe('gb18030');
    expect(canonicalCharset('"gbk"')).toBe('gb18030');
    expect(canonicalCharset('big5-hkscs')).toBe('big5');
    expect(canonicalCharset('utf8')).toBe('utf-8');
    expect(canonicalCharset('no-such-charset')).toBeNull();
  });

  it('reads the charset parameter of Content-Type', () => {
    expect(charsetFromContentType('text/xml; charset="GBK"')).toBe('GBK');
    expect(charsetFromContentType('text/xml')).toBeNull();
    expect(charsetFromContentType(null)).toBeNull();
  });

  it('finds a meta charset in the head but not in the body', () => {
    expect(declaredCharset(Buffer.from(htmlDoc('<meta charset="gbk">', 'x')))).toBe('gbk');
    expect(declaredCharset(Buffer.from('<html><head></head><body><meta charset="big5"></body></html>'))).toBeNull();
  });
});
