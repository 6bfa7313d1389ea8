/**
 * The result line at each detail (src/batch/result-line.ts), against the full result of the same
 * document: `full` is the bytes every earlier release wrote, `spans` has the same spans at the
 * same offsets with each rule said once, `none` the same text and stats without spans.
 */
import { cleanOne, type CleanOneResult } from '../../src/batch/clean-one';
import { briefReason, resultLine, resultLineBytes } from '../../src/batch/result-line';
import { compileRuleSet, type CompiledRuleSet } from '../../src/engine';
import { defaultRuleSet } from '../../src/index';
import { readSet } from '../../src/train/data';
import { AEB_DEV } from '../paths';
import { deleteSpans } from '../helpers';

interface Span {
  start: number;
  end: number;
  rule: string;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const docs = readSet(AEB_DEV);

let set: CompiledRuleSet;
beforeAll(() => {
  set = defaultRuleSet();
});

function descriptionOf(rule: string): string {
  return set.defs.find((d) => d.id === rule)!.description;
}

/** Checks a spans line against the full result of the same input; answers the parsed line. */
function expectSpansOf(line: string, full: CleanOneResult, input: string): Record<string, unknown> {
  const spans = JSON.parse(line) as { removed: Span[]; rules: Record<string, { category: string; reason: string }>; text: string };
  expect(spans.removed.map((s) => Object.keys(s))).toEqual(full.removed.map(() => ['start', 'end', 'rule']));
  expect(spans.removed).toEqual(full.removed.map((r) => ({ start: r.start, end: r.end, rule: r.rule })));
  // Each rule once, in the order its first span comes, with the category its spans had.
  const order = [...new Set(full.removed.map((r) => r.rule))];
  expect(Object.keys(spans.rules)).toEqual(order);
  for (const r of full.removed) expect(spans.rules[r.rule]).toEqual({ category: r.category, reason: briefReason(descriptionOf(r.rule)) });
  expect(spans.text).toBe(full.text);
  // The text invariant, from the compact spans alone.
  expect(collapse(deleteSpans(input, { removed: spans.removed } as never))).toBe(collapse(spans.text));
  return spans;
}

describe('resultLine', () => {
  // 30 dev documents: enough spans of every common rule, a second or two of cleaning.
  const sample = () => docs.slice(0, 30);

  test('full is JSON.stringify of {id, ...result}, the line every earlier release wrote', () => {
    for (const d of sample()) {
      const result = cleanOne(d.text, 'text', set);
      expect(resultLine(d.id, result, set, 'full')).toBe(JSON.stringify({ id: d.id, ...result }));
      expect(resultLine(d.id, result, set)).toBe(JSON.stringify({ id: d.id, ...result }));
    }
  });

  test('resultLineBytes: the UTF-8 bytes of the same line at every detail, with the newline when asked', () => {
    const encoder = new TextEncoder();
    for (const d of docs.slice(0, 10)) {
      const result = cleanOne(d.text, 'text', set);
      for (const detail of ['full', 'spans', 'none'] as const) {
        const line = resultLine(d.id, result, set, detail);
        expect(Buffer.from(resultLineBytes(d.id, result, set, detail)).equals(encoder.encode(line))).toBe(true);
        expect(Buffer.from(resultLineBytes(d.id, result, set, detail, true)).equals(encoder.encode(`${line}\n`))).toBe(true);
      }
    }
  });

  test('spans: the full spans at the same offsets as {start, end, rule}, each rule once in `rules`', () => {
    let spans = 0;
    for (const d of sample()) {
      const full = cleanOne(d.text, 'text', set);
      const line = resultLine(d.id, full, set, 'spans');
      const parsed = expectSpansOf(line, full, d.text);
      expect(Object.keys(parsed)).toEqual(['id', 'text', 'removed', 'rules', 'stats', 'ruleset', 'lang']);
      expect(parsed).toMatchObject({ id: d.id, stats: full.stats, ruleset: full.ruleset, lang: full.lang });
      spans += full.removed.length;
    }
    expect(spans).toBeGreaterThan(1000);
  });

  test('none: id, text, stats, ruleset and lang of the full result, nothing else', () => {
    for (const d of sample()) {
      const full = cleanOne(d.text, 'text', set);
      const none = JSON.parse(resultLine(d.id, full, set, 'none'));
      expect(none).toStrictEqual({ id: d.id, text: full.text, stats: full.stats, ruleset: full.ruleset, lang: full.lang });
      expect(Object.keys(none)).toEqual(['id', 'text', 'stats', 'ruleset', 'lang']);
    }
  });

  test('HTML input: spans index the HTML source as full does and drop the path; format=html keeps the article', () => {
    for (const d of docs.slice(0, 3)) {
      const full = cleanOne(d.html!, 'html', set, { format: 'html' });
      expect(full.removed.length).toBeGreaterThan(0);
      const spans = JSON.parse(resultLine(d.id, full, set, 'spans'));
      expect(spans.removed).toEqual(full.removed.map((r) => ({ start: r.start, end: r.end, rule: r.rule })));
      expect(spans.html).toBe(full.html);
      expect(JSON.parse(resultLine(d.id, full, set, 'none')).html).toBe(full.html);
    }
  });

  test('code-point offsets are those of the full result', () => {
    const input = '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 headline 😀\nAdvertisement\nThe minister said on Friday that the bridge 🌉 would reopen in May.';
    const full = cleanOne(input, 'text', set, { offsets: 'codepoint' });
    expect(full.removed.length).toBeGreaterThan(0);
    const spans = JSON.parse(resultLine('x', full, set, 'spans'));
    expect(spans.removed).toEqual(full.removed.map((r) => ({ start: r.start, end: r.end, rule: r.rule })));
  });

  test("the id: absent when none is given, the result's own when it has one, any JSON value in a batch", () => {
    const input = 'Advertisement\nThe minister said on Friday that the bridge would reopen in May.';
    const result = cleanOne(input, 'text', set);
    for (const detail of ['spans', 'none'] as const) {
      expect(JSON.parse(resultLine(undefined, result, set, detail))).not.toHaveProperty('id');
      expect(JSON.parse(resultLine(null, result, set, detail)).id).toBeNull();
      expect(JSON.parse(resultLine(7, result, set, detail)).id).toBe(7);
      const own = cleanOne(input, 'text', set, { id: 'mine' });
      expect(JSON.parse(resultLine('task', own, set, detail)).id).toBe('mine');
    }
  });

  test('a document with nothing removed has empty spans and rules', () => {
    const result = cleanOne('The minister said on Friday that the bridge would reopen in May.', 'text', set);
    expect(result.removed).toEqual([]);
    expect(JSON.parse(resultLine('a', result, set, 'spans'))).toMatchObject({ removed: [], rules: {} });
  });

  test('a rule the set does not list is named by its first span', () => {
    const own = compileRuleSet({ id: 'tiny', version: 1, rules: [] });
    const result = cleanOne('Advertisement\nThe minister said on Friday that the bridge would reopen in May.', 'text', set);
    const spans = JSON.parse(resultLine('a', result, own, 'spans'));
    expect(spans.rules['ad-marker']).toEqual({ category: 'ad', reason: result.removed[0].reason });
  });
});

describe('briefReason', () => {
  test('drops parenthesised asides, nested ones too, and the space before them', () => {
    expect(briefReason('A byline naming the author ("By Jane Doe | Reuters", "Von Anna Schmidt").')).toBe('Byline naming the author');
    expect(briefReason('JavaScript text (function(){…}, window.dataLayer = …) that leaked into the article text.')).toBe(
      'JavaScript text that leaked into the article text',
    );
  });

  test('ends at a colon: the first clause is the reason', () => {
    expect(briefReason('The house rules of a comment section: who answers for the comments ("Comments are moderated").')).toBe(
      'House rules of a comment section',
    );
  });

  test('keeps the description when its parentheses do not pair up, or too little would be left', () => {
    expect(briefReason('A smiley :-) at the end of a line.')).toBe('Smiley :-) at the end of a line');
    expect(briefReason('Ads ("Anzeige", "Advertisement").')).toBe('Ads ("Anzeige", "Advertisement")');
    expect(briefReason('A line with no asides at all.')).toBe('Line with no asides at all');
  });

  test('is a label: no leading article, no closing full stop, an ellipsis kept', () => {
    expect(briefReason('An HTML entity that was never decoded.')).toBe('HTML entity that was never decoded');
    expect(briefReason('The heading of a list of other stories.')).toBe('Heading of a list of other stories');
    expect(briefReason('Another story follows.')).toBe('Another story follows');
    expect(briefReason('Theatre listings...')).toBe('Theatre listings...');
  });

  test('every rule of the default set keeps a label of a few words', () => {
    for (const def of set.defs) expect(briefReason(def.description)).toMatch(/^[A-Z][^.]{10,}[^.\s]$/);
  });
});
