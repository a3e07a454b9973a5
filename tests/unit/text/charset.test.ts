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

describe('decodeBytes: evidence over declarations', () => {
  it('keeps a declared UTF-8 document with a cut character as UTF-8, replacing only the bad bytes', () => {
    const doc = Buffer.from(xmlDoc('utf-8', SIMPLIFIED));
    const cut = Buffer.concat([doc.subarray(0, 60), Buffer.from([0xe5, 0x85]), doc.subarray(60)]);
    const d = decodeBytes(cut);
    expect(d.charset).toBe('utf-8');
    expect(d.text.replace('\ufffd', '')).toBe(xmlDoc('utf-8', SIMPLIFIED));
    expect(d.warnings).toEqual([expect.stringMatching(/^1 invalid byte sequence for utf-8 replaced/)]);
  });

  it('reads windows-1252 by its WHATWG table, not as Latin-1', () => {
    const d = decodeBytes(Buffer.from([0x93, 0x41, 0x94, 0x20, 0x80, 0x97]), 'text/xml; charset=iso-8859-1');
    expect(d).toMatchObject({ text: '“A” €—', charset: 'windows-1252', source: 'header' });
  });

  it('reads a lone Windows quote among ASCII as windows-1252, not as half a Chinese character', () => {
    expect(decodeBytes(Buffer.from('<rss><title>It\x92s here</title></rss>', 'latin1')).text).toBe('<rss><title>It’s here</title></rss>');
  });

  it('reads UTF-32 with a BOM and UTF-16 laid out without one', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...SIMPLIFIED].map((c) => { const b = Buffer.alloc(4); b.writeUInt32LE(c.codePointAt(0)!); return b; })]);
    expect(decodeBytes(le)).toMatchObject({ text: SIMPLIFIED, charset: 'utf-32le', source: 'bom' });
    const doc = xmlDoc('utf-16', SIMPLIFIED);
    expect(decodeBytes(Buffer.from(doc, 'utf16le'))).toMatchObject({ text: doc, charset: 'utf-16le' });
  });

  it('prefers the document\'s own GBK declaration to a server\'s default Latin-1 header', () => {
    const doc = xmlDoc('gbk', SIMPLIFIED);
    expect(decodeBytes(encodeGb18030(doc), 'text/xml; charset=ISO-8859-1')).toMatchObject({ text: doc, charset: 'gb18030', source: 'declaration' });
  });

  it('warns when valid UTF-8 declares a legacy charset, and not for pure ASCII', () => {
    expect(decodeBytes(Buffer.from(xmlDoc('gbk', SIMPLIFIED))).warnings).toEqual([expect.stringContaining('declares charset "gbk" but its bytes are utf-8')]);
    expect(decodeBytes(Buffer.from(xmlDoc('gbk', 'plain')), 'text/xml; charset=big5').warnings).toEqual([]);
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

describe('undeclared Chinese with a cut character', () => {
  it('stays Chinese when a couple of double-byte sequences are broken, rather than becoming Latin-1 letters', () => {
    const body = '<html><body><p>' + '本市今天召开全市安全生产工作会议，部署下一阶段的重点工作。'.repeat(30) + '</p></body></html>';
    const bytes = encodeGb18030(body);
    // Two characters cut in half, as a CMS truncating a field leaves them: a lead byte whose
    // trail byte is gone, followed by markup or a space (offsets fall between characters).
    const cut = Buffer.concat([bytes.subarray(0, 41), Buffer.from([0xb1, 0x3c]), bytes.subarray(41, 401), Buffer.from([0xd6, 0x20]), bytes.subarray(401)]);
    const out = decodeBytes(cut, null);
    expect(out.charset).toBe('gb18030');
    expect(out.text).toContain('安全生产工作会议');
    expect(out.warnings.join()).toMatch(/invalid byte sequence/);
  });
});
