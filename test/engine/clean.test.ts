/** The pipeline's behaviour, one test per behaviour, on small hand-written documents. */
import { cleanText, compileRuleSet, validateRuleSet, RuleSetError } from '../../src/engine';
import { segment } from '../../src/engine/segment';
import { contractViolation } from '../helpers';

const ex = { remove: [], keep: [] };
const set = compileRuleSet(
  validateRuleSet({
    id: 't',
    version: 3,
    rules: [
      { id: 'attr', category: 'residue', description: 'Attribute fragment.', kind: 'pattern', scope: 'inline', pattern: 'class="[^"]*">', examples: ex },
      {
        id: 'ad',
        category: 'ad',
        description: 'Ad marker.',
        kind: 'phrase',
        phrases: ['Advertisement', 'Top Comments', 'Disclaimer & comment rules', 'Commenting for this story is now closed.'],
        examples: ex,
      },
      { id: 'teaser', category: 'teaser', description: 'Teaser of another story.', kind: 'teaser', examples: ex },
      { id: 'dup', category: 'duplicate', description: 'Repeated block.', kind: 'duplicate', examples: ex },
    ],
  }),
);

describe('segment', () => {
  test('a block is a trimmed line with exact offsets; blank lines separate', () => {
    const input = '  one \r\n\r\n\ttwo\u2028three\n';
    const blocks = segment(input);
    expect(blocks.map((b) => b.text)).toEqual(['one', 'two', 'three']);
    for (const b of blocks) expect(input.slice(b.start, b.end)).toBe(b.text);
  });
  test('no blocks in whitespace', () => {
    expect(segment(' \n\t\r\n ')).toEqual([]);
  });
});

describe('cleanText', () => {
  test('blocks are joined by a blank line and whitespace inside them collapses', () => {
    const r = cleanText('First  para.\nSecond\tpara.', set);
    expect(r.text).toBe('First para.\n\nSecond para.');
    expect(r.removed).toEqual([]);
  });

  test('an inline removal keeps the rest of the line', () => {
    const input = 'class="sc-1 x">Blinken will travel.';
    const r = cleanText(input, set);
    expect(r.text).toBe('Blinken will travel.');
    expect(r.removed).toEqual([{ start: 0, end: 15, text: 'class="sc-1 x">', rule: 'attr', category: 'residue', reason: 'Attribute fragment.' }]);
  });

  test('glued phrases are recognised as one block of furniture', () => {
    const r = cleanText('Body text of the article, long enough.\nDisclaimer & comment rulesCommenting for this story is now closed.', set);
    expect(r.text).toBe('Body text of the article, long enough.');
    expect(r.removed[0].reason).toContain('"Disclaimer & comment rules" + "Commenting for this story is now closed."');
  });

  test('a block removed after an inline removal reports both parts with their own rules', () => {
    const article =
      'Blinken will travel to Beijing on Friday to meet the Chinese foreign minister and discuss trade, Taiwan and the war in Ukraine with officials there.';
    const input = `${article}\nclass="a">1/4Residents of Tenerife have had enough of noisy tourists.It's too loud, the…`;
    const r = cleanText(input, set);
    expect(r.text).toBe(article);
    expect(r.removed.map((s) => s.rule)).toEqual(['attr', 'teaser']);
    expect(r.removed[1].text.startsWith('1/4Residents')).toBe(true);
    expect(r.removed[1].reason).toMatch(/gallery counter/);
    expect(contractViolation(input, r)).toBeNull();
  });

  test("a truncated line on the article's topic stays", () => {
    const article =
      'Blinken will travel to Beijing on Friday to meet the Chinese foreign minister and discuss trade, Taiwan and the war in Ukraine with officials there.';
    const r = cleanText(`${article}\nBlinken said the talks with the Chinese minister would cover Taiwan and trade…`, set);
    expect(r.removed).toEqual([]);
  });

  test('a repeated block goes, the first occurrence stays', () => {
    const r = cleanText('Headline of the story here\nBody.\nHeadline of the story here', set);
    expect(r.text).toBe('Headline of the story here\n\nBody.');
    expect(r.removed).toHaveLength(1);
    expect(r.removed[0]).toMatchObject({ rule: 'dup', category: 'duplicate', start: 33 });
  });

  test('the result names the rule set, echoes the id and counts', () => {
    const r = cleanText('Advertisement\nText.', set, { id: 'doc-1', lang: 'en' });
    expect(r).toMatchObject({ id: 'doc-1', ruleset: { id: 't', version: 3 }, lang: 'en' });
    expect(r.stats).toMatchObject({ inputChars: 19, outputChars: 5, removedChars: 13, blocks: 2, removedBlocks: 1 });
  });

  test('code point offsets count an emoji once', () => {
    const r = cleanText('👍🏽 ok\nAdvertisement', set, { offsets: 'codepoint' });
    expect(r.removed[0]).toMatchObject({ start: 6, end: 19, text: 'Advertisement' }); // 👍🏽 is two code points, four UTF-16 units
  });

  test('the language is detected from the prose', () => {
    expect(cleanText('Der Minister sagte, dass die Regierung die Gespräche mit China fortsetzen werde und dass es keine Alternative gebe.', set).lang).toBe(
      'de',
    );
    expect(
      cleanText('Le ministre a déclaré que le gouvernement poursuivrait les discussions avec la Chine et qu’il n’y avait pas d’autre choix.', set).lang,
    ).toBe('fr');
  });

  test('Chinese, Japanese and Korean prose is told by its script, whatever Latin menu words surround it', () => {
    // Menu words that alone would make the page French ("le", "de", "la", "et").
    const menu = 'Home\nPowered by SendPulse\nle site de la semaine et les photos\n';
    const zh =
      '一波波接續性低溫寒流報到已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣玉峰道路一路上雲氣山嵐滯留山頭順路下切蜿蜒道路後不久即抵達來到玉峰國小美樹美如其名偌大楓香樹早已呈現金黃';
    const ja =
      '肉をくわえたイヌが、橋を渡っていました。ふと下を見ると、川の中にも肉をくわえたイヌがいます。イヌはそれを見て、思いました。あいつの肉の方が、大きそうだ。そこでイヌは、川の中のイヌに向かって思いっきり吠えました。';
    const ko =
      '서울시는 화요일 북부 지역까지 전차 노선을 연장하기로 결정했으며 이 사업은 십 년 넘게 논의되어 왔다고 시장이 말했다. 공사는 내년 봄에 시작될 예정이다.';
    expect(cleanText(menu + zh, set).lang).toBe('zh');
    expect(cleanText(menu + ja, set).lang).toBe('ja');
    expect(cleanText(menu + ko, set).lang).toBe('ko');
    // A few Chinese characters in European prose do not make it Chinese.
    expect(cleanText('Le ministre a déclaré à Pékin (北京) que le gouvernement poursuivrait les discussions avec la Chine.', set).lang).toBe('fr');
  });
});

describe('rule-set validation', () => {
  const base = { id: 'x', version: 1 };
  const rule = { id: 'r', category: 'ad', description: 'd', kind: 'phrase', phrases: ['a'], examples: ex };
  const issues = (data: unknown) => {
    try {
      validateRuleSet(data, 'file.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(RuleSetError);
      expect((e as Error).message.startsWith('file.yaml: ')).toBe(true);
      return (e as RuleSetError).issues;
    }
    throw new Error('expected a RuleSetError');
  };
  test('an unknown field of a rule is named with the rule id', () => {
    expect(issues({ ...base, rules: [{ ...rule, colour: 'red' }] })).toEqual([{ rule: 'r', field: 'colour', message: 'is not a known field' }]);
  });
  test('an unknown kind is named', () => {
    expect(issues({ ...base, rules: [{ ...rule, kind: 'magic' }] })[0]).toMatchObject({ rule: 'r', field: 'kind' });
  });
  test('a missing parameter is named', () => {
    const { phrases: _drop, ...noPhrases } = rule;
    expect(issues({ ...base, rules: [noPhrases] })).toEqual([{ rule: 'r', field: 'phrases', message: 'is required' }]);
  });
  test('a pattern that does not compile is refused', () => {
    const { phrases: _drop, ...plain } = rule;
    expect(issues({ ...base, rules: [{ ...plain, kind: 'pattern', pattern: '(', scope: 'inline' }] })).toEqual([
      expect.objectContaining({ rule: 'r', field: 'pattern' }),
    ]);
  });
  test('duplicate rule ids are refused', () => {
    expect(issues({ ...base, rules: [rule, rule] })).toEqual([{ rule: 'r', field: 'id', message: 'is used by another rule of this set' }]);
  });
  test('layering: extends, override by id, disable', () => {
    const parent = validateRuleSet({ ...base, id: 'p', rules: [rule, { ...rule, id: 's', phrases: ['b'] }] });
    const child = validateRuleSet({ ...base, id: 'c', extends: 'p', disable: ['s'], rules: [{ ...rule, phrases: ['z'] }] });
    const compiled = compileRuleSet(child, (id) => (id === 'p' ? parent : undefined));
    expect(compiled.rules.map((r) => r.id)).toEqual(['r']);
    expect(cleanText('z\na\nb', compiled).text).toBe('a\n\nb');
  });
});

describe('phrase kind', () => {
  const phrases = compileRuleSet(
    validateRuleSet({
      id: 'p',
      version: 1,
      rules: [
        {
          id: 'share',
          category: 'social',
          description: 'Share buttons.',
          kind: 'phrase',
          phrases: ['X', 'Facebook', 'Share'],
          examples: { remove: [], keep: [] },
        },
      ],
    }),
  );
  test.each(['X', 'Share X', 'X Facebook', 'Share\u00a0X Facebook', 'FacebookXShare'])('one-character phrases glue like the others: %j goes', (line) => {
    expect(cleanText(`Article text.\n${line}`, phrases).text).toBe('Article text.');
  });
  test.each(['Xavier', 'Share this', 'XX Facebook Y'])('%j stays', (line) => {
    expect(cleanText(line, phrases).removed).toEqual([]);
  });
});
