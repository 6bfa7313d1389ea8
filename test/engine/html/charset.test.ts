/** Decoding HTML bytes: BOM, then the declared charset, then the <meta> prescan, then UTF-8. */
import {
  charsetOfContentType,
  charsetOfMetaContent,
  decodeHtml,
  decodeWindows1252,
  encodingFor,
  PRESCAN_BYTES,
  prescanMetaCharset,
  UnsupportedCharsetError,
} from '../../../src/engine/html/charset';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('prescanMetaCharset', () => {
  it.each([
    ['<meta charset="windows-1252">', 'windows-1252'],
    ["<META CHARSET='Shift_JIS'>", 'shift_jis'],
    ['<meta charset=koi8-r>', 'koi8-r'],
    ['<meta/charset=gbk>', 'gbk'],
    ['<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">', 'euc-kr'],
    ['<meta content="text/html;charset=ISO-8859-2" http-equiv="content-type">', 'iso-8859-2'],
    ['<meta http-equiv=Content-Type content=\'text/html; charset="big5"\'>', 'big5'],
    // "latin1" and "iso-8859-1" mean windows-1252 on the web.
    ['<meta charset="iso-8859-1">', 'windows-1252'],
    // A page that says UTF-16 in ASCII bytes cannot be UTF-16.
    ['<meta charset="utf-16le">', 'utf-8'],
  ])('%s → %s', (html, expected) => {
    expect(prescanMetaCharset(latin1(`<!doctype html><html><head>${html}</head>`))).toBe(expected);
  });

  it.each([
    ['content without http-equiv', '<meta content="text/html; charset=gbk">'],
    ['http-equiv of another kind', '<meta http-equiv="refresh" content="0; charset=gbk">'],
    ['a meta inside a comment', '<!-- <meta charset="gbk"> -->'],
    ["a meta inside another tag's attribute", '<div title="<meta charset=gbk>">'],
    ['an unknown charset', '<meta charset="klingon">'],
    ['no meta at all', '<p>hello</p>'],
    ['a meta after the first 1024 bytes', `<!--${'x'.repeat(PRESCAN_BYTES)}--><meta charset="gbk">`],
  ])('ignores %s', (_name, html) => {
    expect(prescanMetaCharset(latin1(html))).toBeUndefined();
  });

  it('goes on after a meta it ignores, and takes the first of a repeated attribute', () => {
    expect(prescanMetaCharset(latin1('<meta charset="klingon"><meta name="x"><meta charset="koi8-r">'))).toBe('koi8-r');
    expect(prescanMetaCharset(latin1('<meta charset="gbk" charset="koi8-r">'))).toBe('gbk');
  });

  it('survives garbage: unclosed comments, tags and quotes, stray < and binary bytes', () => {
    for (const junk of [
      '<!-- never closed <meta charset=gbk>',
      '<meta charset="gbk',
      '<<<>>><a href="x',
      '<',
      '<!',
      '</',
      '<?xml',
      Buffer.from([0x3c, 0xff, 0x00, 0x3c, 0x21, 0x2d]).toString('latin1'),
    ]) {
      expect(() => prescanMetaCharset(latin1(junk))).not.toThrow();
    }
    expect(prescanMetaCharset(latin1('<<<>>><meta charset=gbk>'))).toBe('gbk');
  });
});

describe('charsetOfMetaContent and charsetOfContentType', () => {
  it('reads the charset inside a content attribute', () => {
    expect(charsetOfMetaContent('text/html; charset=utf-8')).toBe('utf-8');
    expect(charsetOfMetaContent('text/html; CHARSET = "koi8-r" ; x')).toBe('koi8-r');
    expect(charsetOfMetaContent('text/html; charsetx; charset=gbk')).toBe('gbk');
    expect(charsetOfMetaContent('text/html; charset="unclosed')).toBeUndefined();
    expect(charsetOfMetaContent('text/html')).toBeUndefined();
  });

  it('reads the charset parameter of a Content-Type', () => {
    expect(charsetOfContentType('text/html; charset=Shift_JIS')).toBe('Shift_JIS');
    expect(charsetOfContentType('text/html;charset="iso-8859-1"')).toBe('iso-8859-1');
    expect(charsetOfContentType('text/html; q=1; charset=gbk; x=y')).toBe('gbk');
    expect(charsetOfContentType('text/html')).toBeUndefined();
    expect(charsetOfContentType(undefined)).toBeUndefined();
  });

  it('knows the WHATWG labels and refuses unknown ones', () => {
    expect(encodingFor('Latin1')).toBe('windows-1252');
    expect(encodingFor(' sjis ')).toBe('shift_jis');
    expect(encodingFor('klingon')).toBeUndefined();
  });
});

describe('decodeHtml', () => {
  it('windows-1252 declared in a meta: curly quotes, euro and accents', () => {
    const bytes = latin1('<meta charset="windows-1252"><p>\x93Caf\xe9\x94 costs \x805 \x96 na\xefve</p>');
    const d = decodeHtml(bytes);
    expect(d).toMatchObject({ encoding: 'windows-1252', source: 'meta' });
    expect(d.html).toBe('<meta charset="windows-1252"><p>“Café” costs €5 – naïve</p>');
  });

  it('decodes windows-1252 by the WHATWG table, including the five unassigned bytes', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const out = decodeWindows1252(all);
    expect(out.length).toBe(256);
    expect(out[0x80]).toBe('€');
    expect(out[0x81]).toBe('\x81');
    expect(out[0x9f]).toBe('Ÿ');
    expect(out[0xff]).toBe('ÿ');
  });

  it('Shift_JIS declared in a meta', () => {
    // "日本語のニュース" in Shift_JIS.
    const body = Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x82, 0xcc, 0x83, 0x6a, 0x83, 0x85, 0x81, 0x5b, 0x83, 0x58]);
    const bytes = Buffer.concat([latin1('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><p>'), body, latin1('</p>')]);
    expect(decodeHtml(bytes).html).toContain('<p>日本語のニュース</p>');
  });

  it('the declared charset overrides the meta', () => {
    const bytes = Buffer.concat([latin1('<meta charset="windows-1252"><p>'), Buffer.from('Привет', 'utf8'), latin1('</p>')]);
    const d = decodeHtml(bytes, 'utf-8');
    expect(d).toMatchObject({ encoding: 'utf-8', source: 'declared' });
    expect(d.html).toContain('Привет');
  });

  it('a BOM overrides both, and is not part of the decoded text', () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<meta charset="koi8-r"><p>Grüße</p>', 'utf8')]);
    expect(decodeHtml(utf8, 'iso-8859-1')).toEqual({ html: '<meta charset="koi8-r"><p>Grüße</p>', encoding: 'utf-8', source: 'bom' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<p>Ünïcödé</p>', 'utf16le')]);
    expect(decodeHtml(utf16)).toEqual({ html: '<p>Ünïcödé</p>', encoding: 'utf-16le', source: 'bom' });
    const be = Buffer.from('<p>x</p>', 'utf16le').swap16();
    expect(decodeHtml(Buffer.concat([Buffer.from([0xfe, 0xff]), be])).html).toBe('<p>x</p>');
  });

  it('UTF-8 when nothing says otherwise; invalid bytes become U+FFFD instead of failing', () => {
    expect(decodeHtml(Buffer.from('<p>naïve</p>', 'utf8'))).toEqual({ html: '<p>naïve</p>', encoding: 'utf-8', source: 'default' });
    expect(decodeHtml(Buffer.from([0x3c, 0x70, 0x3e, 0xff, 0xfe, 0xc3, 0x3c])).html).toBe('<p>\ufffd\ufffd\ufffd<');
    expect(decodeHtml(new Uint8Array(0)).html).toBe('');
  });

  it('throws UnsupportedCharsetError for a declared charset no decoder knows', () => {
    expect(() => decodeHtml(latin1('<p>x</p>'), 'klingon')).toThrow(UnsupportedCharsetError);
    expect(() => decodeHtml(latin1('<p>x</p>'), 'klingon')).toThrow(/"klingon" is not supported/);
  });

  it.each([
    ['koi8-r', 'Новости', [0xee, 0xcf, 0xd7, 0xcf, 0xd3, 0xd4, 0xc9]],
    ['euc-kr', '뉴스', [0xb4, 0xba, 0xbd, 0xba]],
    ['gbk', '新闻', [0xd0, 0xc2, 0xce, 0xc5]],
    ['iso-8859-2', 'Łódź', [0xa3, 0xf3, 0x64, 0xbc]],
  ])('%s from a meta', (charset, text, bytes) => {
    const html = Buffer.concat([latin1(`<meta charset="${charset}"><p>`), Buffer.from(bytes), latin1('</p>')]);
    expect(decodeHtml(html).html).toBe(`<meta charset="${charset}"><p>${text}</p>`);
  });
});
