import { shapeOf } from '../../../src/engine/features/shape';
import { segmentWords } from '../../../src/engine/words';
import { compileRuleSet, validateRuleSet } from '../../../src/engine';
import { runHtmlRules } from '../../../src/engine/html';
import { localFeatures, LOCAL_FEATURES } from '../../../src/engine/features/local';
import { DocContext } from '../../../src/engine/context';
import { segment } from '../../../src/engine/segment';

describe('shapeOf', () => {
  it('counts words, title-case words, digits and sentence ends of a sentence', () => {
    const s = shapeOf('The Council met on 12 May. It voted, 7 to 2, for the plan.');
    expect(s.words).toBe(14);
    expect(s.titleWords).toBe(4); // The, Council, May, It
    expect(s.endsSentence).toBe(true);
    expect(s.innerSentenceEnds).toBe(1);
    expect(s.commas).toBe(2);
    expect(s.digits).toBe(4);
  });
  it('sees menu separators, list markers and a missing sentence end', () => {
    const menu = shapeOf('Home | News | Sport');
    expect(menu.separators).toBe(2);
    expect(menu.endsSentence).toBe(false);
    expect(shapeOf('- first item').listMarker).toBe(true);
    expect(shapeOf('2) second item').listMarker).toBe(true);
    expect(shapeOf('2019 was a year').listMarker).toBe(false);
  });
  it('counts a sentence closed inside quotes as ended', () => {
    expect(shapeOf('He said: "We are done."').endsSentence).toBe(true);
  });
  it('treats every CJK character as a word (the scorer learnt its weights so)', () => {
    const s = shapeOf('这是一个测试。');
    expect(s.words).toBe(6);
    expect(s.endsSentence).toBe(true);
  });
  it('measures Thai in the words Intl.Segmenter finds, not one token', () => {
    const th = shapeOf('สภาเมืองจะลงมติเรื่องงบประมาณใหม่ในสัปดาห์หน้า');
    expect(th.words).toBe(12); // one token when split on spaces
    expect(th.lower).toContain('สัปดาห์');
    expect(th.letterWords).toBe(12);
  });
  it('ends Hindi sentences at the danda, which is no part of a word', () => {
    const hi = shapeOf('सबसे पहले चावल को धो लें। फिर दूध उबालें।');
    expect(hi.endsSentence).toBe(true);
    expect(hi.innerSentenceEnds).toBe(1);
    expect(hi.lower).toEqual(['सबसे', 'पहले', 'चावल', 'को', 'धो', 'लें', 'फिर', 'दूध', 'उबालें']);
    expect(shapeOf('नदी पर बना नया पुल').endsSentence).toBe(false);
  });
  it('counts sentences of scripts without capitals after a full stop or question mark', () => {
    expect(shapeOf('הספרייה נפתחה מחדש. השעות הוארכו.').innerSentenceEnds).toBe(1);
    const ar = shapeOf('هل تعرف الطريقة؟ الطريقة سهلة، وسريعة.');
    expect(ar.innerSentenceEnds).toBe(1);
    expect(ar.commas).toBe(1);
    expect(ar.lower).toEqual(['هل', 'تعرف', 'الطريقة', 'الطريقة', 'سهلة', 'وسريعة']);
    // Lower case after a stop is an abbreviation, not a new sentence.
    expect(shapeOf('See e.g. the report.').innerSentenceEnds).toBe(0);
  });
  it('ends Thai sentences at the spaces after clauses, but not a headline or a menu', () => {
    const prose = shapeOf('ต้มน้ำให้เดือด ใส่ตะไคร้ ข่า และใบมะกรูดลงไป ต้มต่อสักครู่จนมีกลิ่นหอม');
    expect(prose.endsSentence).toBe(true);
    expect(prose.innerSentenceEnds).toBe(2); // after the first and the third stretch; "ใส่ตะไคร้" and "ข่า" are too short
    expect(shapeOf('รถไฟทางคู่สายใหม่เตรียมเปิดให้บริการปลายปีนี้').endsSentence).toBe(false); // one stretch: a headline
    const menu = shapeOf('หน้าแรก สูตรอาหาร ขนม วิดีโอ');
    expect(menu.endsSentence).toBe(false);
    expect(menu.innerSentenceEnds).toBe(0);
  });
  it('takes bidi marks and controls for neither words nor word breaks', () => {
    const s = shapeOf('كلمة\u200fأخرى \u200e جديدة');
    expect(s.words).toBe(2);
    expect(s.lower).toEqual(['كلمةأخرى', 'جديدة']);
    expect(shapeOf('\u2067שלום\u2069 עולם').lower).toEqual(['שלום', 'עולם']);
    expect(shapeOf('\u200f').words).toBe(0);
  });
  it('lower-cases words for lookups, also outside ASCII', () => {
    expect(shapeOf('Über Ärzte').lower).toEqual(['über', 'ärzte']);
  });
});

describe('localFeatures', () => {
  const text = [
    'Home',
    'News',
    'Sport',
    'The city council voted on Tuesday to extend the tram line to the northern districts, a project that has been debated for more than a decade and that the city needs.',
    'Construction of the tram line is expected to start next spring, and the first trams should run in 2029, according to the mayor of the city, who called it a turning point.',
    'Home',
  ].join('\n');
  const doc = new DocContext(text, segment(text));
  const f = localFeatures(doc);
  const F = LOCAL_FEATURES.length;
  const value = (row: number, name: string) => f.local[row * F + LOCAL_FEATURES.findIndex((x) => x.name === name)];

  it('judges every block not removed by other rules', () => {
    expect(f.active).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('gives prose more function words and a sentence end than menu lines', () => {
    expect(value(3, 'stopwords')).toBeGreaterThan(0.3);
    expect(value(0, 'stopwords')).toBe(0);
    expect(value(3, 'sentenceEnd')).toBe(1);
    expect(value(1, 'sentenceEnd')).toBe(0);
  });
  it('marks repeated blocks, positions and topic overlap', () => {
    expect(value(0, 'repeated')).toBe(1);
    expect(value(1, 'repeated')).toBe(0);
    expect(value(0, 'position')).toBe(0);
    expect(value(5, 'position')).toBeGreaterThan(0.9);
    // Each paragraph shares "city", "tram", "line" with the other one; the menu shares nothing.
    expect(value(4, 'topic')).toBeGreaterThan(0.1);
    expect(value(1, 'topic')).toBe(0);
  });
  it('skips blocks already removed', () => {
    const blocks = segment(text);
    blocks[0].removedBy = 0;
    expect(localFeatures(new DocContext(text, blocks)).active[0]).toBe(1);
  });
});

describe('holdsOthers', () => {
  it("sees a long block made of copies of the page's paragraphs, and nothing in ordinary blocks", () => {
    const p1 =
      'The city council voted on Tuesday to extend the tram line to the northern districts, a project that has been debated for more than a decade by everyone.';
    const p2 =
      'Construction is expected to start next spring, and the first trams should run in 2029, according to the mayor, who called the decision a turning point.';
    const p3 =
      'Residents of the northern districts have long complained that the bus connections are slow and crowded, and that the new line will shorten their trips.';
    const p4 =
      'The opposition said the money would be better spent on schools, and promised to put the question to a referendum if it wins the election next year.';
    const copy = [p1, p2, p3, p4].join(' ');
    const text = ['Home', p1, p2, p3, p4, copy].join('\n');
    const f = localFeatures(new DocContext(text, segment(text)));
    const at = LOCAL_FEATURES.findIndex((x) => x.name === 'holdsOthers');
    const value = (row: number) => f.local[row * LOCAL_FEATURES.length + at];
    expect(value(5)).toBeGreaterThan(0.95);
    for (const row of [0, 1, 2, 3, 4]) expect(value(row)).toBe(0);
  });
});

describe('length across scripts', () => {
  it('counts CJK characters, and weighs a line of Chinese like the same line in English', () => {
    const zh = '露營的話則須待中午過後再進場搭帳的彈性做法';
    expect(shapeOf(zh).cjk).toBe(zh.length);
    expect(shapeOf('Home and News').cjk).toBe(0);
    const text = `${zh}\n\nThe campers have to wait until noon before they put up their tents.`;
    const f = localFeatures(new DocContext(text, segment(text)));
    const F = LOCAL_FEATURES.length;
    const value = (row: number, name: string) => f.local[row * F + LOCAL_FEATURES.findIndex((x) => x.name === name)];
    // 21 ideographs count as 63 characters: as long as the English line (68), not a third of it.
    expect(value(0, 'length')).toBeCloseTo(Math.log10(1 + 3 * zh.length));
    expect(value(0, 'length30')).toBe(1);
    expect(value(0, 'length100')).toBe(0);
    expect(value(1, 'length30')).toBe(1);
  });
});

describe('Chinese words in the scorer', () => {
  it('ends a Chinese line whose clauses are parted by spaces, not a menu, a dateline or a teaser', () => {
    const prose = shapeOf('一波波接續性低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣');
    expect(prose.endsSentence).toBe(true);
    expect(prose.innerSentenceEnds).toBe(1);
    expect(shapeOf('首頁 部落格 運動 美妝 旅遊').endsSentence).toBe(false);
    // The last stretch ends with a time, not a Chinese word; Latin words beside spaces are no break.
    expect(shapeOf('人生で本当に価値があるのは何か デイヴィッド・ブルックスの憂鬱 現代ビジネス 3/9(木) 18:01').endsSentence).toBe(false);
    expect(shapeOf('WordPressの記事更新にWindows Live Writerを試してみる').innerSentenceEnds).toBe(0);
  });
  it('compares a line with the page title in words, not shared characters', () => {
    const title = '新竹尖石美樹營地賞楓';
    const line = '樹葉落在新的石頭上';
    const text = `${title}\n\n${line}\n\n${title}`;
    const f = localFeatures(new DocContext(text, segment(text)));
    const F = LOCAL_FEATURES.length;
    const value = (row: number, name: string) => f.local[row * F + LOCAL_FEATURES.findIndex((x) => x.name === name)];
    // By character the line shared 樹, 新 and 石 with the title; in words it shares nothing.
    expect(value(1, 'echoesTitle')).toBe(0);
    expect(value(2, 'echoesTitle')).toBe(1);
    expect(shapeOf(line).segmented).toEqual(segmentWords(line));
    expect(shapeOf('No CJK here').segmented).toBeNull();
  });
  it("leaves a page's scorer reading CJK by character, as the HTML model was trained", () => {
    const title = '新竹尖石美樹營地賞楓';
    const line = '樹葉落在新的石頭上';
    const ruleset = compileRuleSet(validateRuleSet({ id: 't', version: 1, rules: [] }));
    const page = runHtmlRules(`<html><body><p>${title}</p><p>${line}</p></body></html>`, ruleset);
    expect(page.blocks.map((b) => b.rest)).toEqual([title, line]);
    const F = LOCAL_FEATURES.length;
    const f = localFeatures(page);
    // By character the line shares 樹, 新 and 石 with the title: three of its nine characters.
    expect(f.local[F + LOCAL_FEATURES.findIndex((x) => x.name === 'echoesTitle')]).toBeCloseTo(3 / 9);
    expect(shapeOf('一波波接續性低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣', false)).toMatchObject({
      segmented: null,
      endsSentence: false,
    });
  });
});
