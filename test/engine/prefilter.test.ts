/**
 * The block stage's prefilter may only skip rules that would have said nothing: the same results
 * with and without it, and every required literal really present wherever a pattern matches.
 */
import fc from 'fast-check';
import { cleanText, type CleanResult, type CompiledRuleSet, type RuleDefBase } from '../../src/engine';
import { defaultRuleSet } from '../../src';
import { loadRuleSets, PACKAGED_RULES_DIR } from '../../src/rulesets/load';
import { patternSource } from '../../src/engine/kinds/pattern';
import { requiredLiteralLead, requiredLiterals } from '../../src/engine/prefilter/literals';
import { LiteralAutomaton } from '../../src/engine/prefilter/automaton';
import { BlockStageFilter } from '../../src/engine/prefilter/stage';
import { RequirementIndex } from '../../src/engine/prefilter/requirements';
import { segment } from '../../src/engine/segment';
import { closesSentence } from '../../src/engine/lines';
import { mayHaveShape } from '../../src/engine/kinds/teaser';

const filtered = defaultRuleSet();
const unfiltered: CompiledRuleSet = loadRuleSets(PACKAGED_RULES_DIR, { prefilter: false }).compiled.get('default')!;

const exampleTexts = (def: RuleDefBase): string[] => [
  ...def.examples.remove.map((e) => (typeof e === 'string' ? e : e.text)),
  ...def.examples.keep.map((e) => (typeof e === 'string' ? e : e.text)),
];
const timeless = (r: CleanResult) => ({ ...r, stats: { ...r.stats, elapsedMs: 0 } });
const allExamples = filtered.defs.flatMap(exampleTexts);

/** Variants a case-insensitive pattern matches as well: other cases, and the long s and Kelvin sign that fold to ASCII. */
const variants = (t: string) => [t, t.toUpperCase(), t.toLowerCase(), t.replace(/s/g, 'ſ').replace(/k/g, 'K')];

describe('requiredLiterals', () => {
  test('reads literals through classes, optional parts and alternatives', () => {
    expect(requiredLiterals('^[Bb]y\\s+\\p{Lu}')).toEqual(['by']);
    expect(requiredLiterals('colou?r')?.sort()).toEqual(['color', 'colour']);
    expect(requiredLiterals('(?:read more|see also)\\b.*')?.sort()).toEqual(['read more', 'see also']);
    expect(requiredLiterals('page \\d+')).toEqual(['page ']);
    expect(requiredLiterals('©\\s*\\d{4}')).toEqual(['©']);
  });

  test('requires nothing where a match may hold no literal', () => {
    expect(requiredLiterals('^[^\\p{L}\\p{N}_]+$')).toBeNull();
    expect(requiredLiterals('(?:foo)?\\w+')).toBeNull();
    expect(requiredLiterals('foo|\\w')).toBeNull();
    expect(requiredLiterals('(?=foo)\\w+')).toBeNull();
    expect(requiredLiterals('(a)\\1')).toEqual(['a']);
  });

  test('never requires a letter beyond ASCII, whose case folding differs between engines', () => {
    expect(requiredLiterals('zastrzeżone')).toEqual(['zastrze']);
    expect(requiredLiterals('über')).toEqual(['ber']);
    expect(requiredLiterals('é')).toBeNull();
  });

  test('requires letters of scripts without case, which every engine matches as themselves', () => {
    expect(requiredLiterals('ใช้คุกกี้|쿠키를 (?:사용|이용)')?.sort()).toEqual(['ใช', '쿠키를 사용', '쿠키를 이용'].sort());
    expect(requiredLiterals('нас|ελ')).toBeNull(); // Cyrillic and Greek have case
    const a = new LiteralAutomaton([['쿠키를 사용'], ['ใช']]);
    const marks = new Uint8Array(2);
    expect(a.scan('이 사이트는 쿠키를 사용합니다', marks)).toBe(1);
    expect([...marks]).toEqual([1, 0]);
  });

  test('gives up on what it cannot read rather than guess', () => {
    expect(requiredLiterals('(?i:abc)')).toBeNull();
    expect(requiredLiterals('abc[')).toBeNull();
  });
});

describe('requiredLiteralLead', () => {
  test('says which characters a match can hold before its literal', () => {
    expect(requiredLiteralLead('abc')).toEqual({ literals: ['abc'], lead: [] });
    expect(requiredLiteralLead('a\\s*bc')).toEqual({ literals: ['bc'], lead: ['a', '\\s'] });
    expect(requiredLiteralLead('(?:x|y)+foo')).toEqual({ literals: ['foo'], lead: ['x', 'y'] });
    expect(requiredLiteralLead('[a-z]+Foo|bar')).toEqual({ literals: ['Foo', 'bar'], lead: ['[a-z]'] });
    // Lookarounds and anchors consume nothing; case is kept.
    expect(requiredLiteralLead('(?<=^|\\.\\s)Photo by')).toEqual({ literals: ['Photo by'], lead: [] });
    expect(requiredLiteralLead('\\(\\s*(?:AP\\s+)?Photo')).toEqual({ literals: ['Photo'], lead: ['\\(', '\\s', 'A', 'P', '\\s'] });
  });

  test('declines where what comes before the literal is unbounded or unknown', () => {
    expect(requiredLiteralLead('(a)\\1foo')).toBeNull();
    expect(requiredLiteralLead('\\w+')).toBeNull();
    expect(requiredLiteralLead('abc[')).toBeNull();
  });

  test('every character before the literal in a match is one the lead matches', () => {
    const lead = requiredLiteralLead('(?:\\p{Lu}[\\p{L}.-]*\\s+){0,3}\\p{Lu}[\\p{L}.-]*\\s*/\\s*(?:Getty|AFP)')!;
    const member = new RegExp(`^(?:${lead.lead.join('|')})$`, 'u');
    const m = /(?:\p{Lu}[\p{L}.-]*\s+){0,3}\p{Lu}[\p{L}.-]*\s*\/\s*(?:Getty|AFP)/u.exec('Photo: Jean-Luc E. Smith / AFP')!;
    const at = Math.min(...lead.literals.map((l) => m[0].indexOf(l)).filter((i) => i >= 0));
    expect([...m[0].slice(0, at)].every((c) => member.test(c))).toBe(true);
    expect(member.test(',')).toBe(false);
  });
});

describe('LiteralAutomaton', () => {
  test('finds overlapping literals, case folded, and marks each slot once', () => {
    const a = new LiteralAutomaton([['copyright'], ['right'], ['©'], ['zzz']]);
    const marks = new Uint8Array(4);
    expect(a.scan('All COPYRIGHTS ©', marks)).toBe(3);
    expect([...marks]).toEqual([1, 1, 1, 0]);
    // The long s and the Kelvin sign fold to s and k, as in case-insensitive patterns.
    expect(new LiteralAutomaton([['stash'], ['kilo']]).scan('ſtaſh of Kilos', new Uint8Array(2))).toBe(2);
  });
});

describe('RequirementIndex', () => {
  test('answers as the lower-cased document searched for each needle would, or declines', () => {
    const requirements = [
      { key: {}, needles: ['getty', 'afp'] },
      { key: {}, needles: ['©', 'all rights'] },
      // Letters beyond ASCII: the automaton finds a stand-in ("zdj", "cie"), and the needle is
      // searched in the lower-cased document only where it is found.
      { key: {}, needles: ['zdjęcie', 'photo'] },
      { key: {}, needles: ['wiki'] },
      { key: {}, needles: ['rédact', 'çerez'] },
    ];
    const index = new RequirementIndex(requirements);
    // Every needle has a stretch the automaton compares: every requirement is indexed.
    expect(requirements.every((r) => index.slotOf(r) !== undefined)).toBe(true);
    // One with no such stretch is not, and is searched the old way.
    const kana = { key: {}, needles: ['ﾃ'] };
    expect(new RequirementIndex([kana]).slotOf(kana)).toBeUndefined();
    const pieces = fc.constantFrom(
      'Getty',
      'GETTY',
      'AFP',
      'afp',
      '©',
      'ALL RIGHTS',
      'wİkİ',
      'WIKI',
      'ſ',
      'K',
      'x',
      ' ',
      'İ',
      'all',
      'ZDJĘCIE',
      'Zdj',
      'ęcie',
      'PHOTO',
      'RÉDACT',
      'rEdact',
      'Çerez',
      'cerez',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        const marks = index.scan(text);
        if (marks === null) return text.includes('\u0130');
        const lower = text.toLowerCase();
        let lowered = 0;
        const answers = requirements.map((r) => index.holds(index.slotOf(r)!, marks, () => (lowered++, lower)));
        // Asked again, the answers are the same, and the document is not lower-cased again.
        const before = lowered;
        const again = requirements.map((r) => index.holds(index.slotOf(r)!, marks, () => (lowered++, lower)));
        return requirements.every((r, k) => answers[k] === r.needles.some((n) => lower.includes(n)) && again[k] === answers[k]) && lowered === before;
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('RequirementIndex.scanDocument', () => {
  test("records every start of the sites' literals, as a search of the document for each finds them, or declines", () => {
    const requirements = [{ key: {}, needles: ['getty', 'afp'] }];
    // Case ignored, as a pattern with the i flag compares; and case minded (exact), as one without.
    const loose = { key: {}, literals: ['photo', 'cie', '="'], exact: false };
    const exact = { key: {}, literals: ['Getty', 'Getty Images', 'EPA', 'Foto'], exact: true };
    const index = new RequirementIndex(requirements, [loose, exact]);
    expect(index.siteOf(loose)).toBe(0);
    expect(index.siteOf(exact)).toBe(1);
    const escape = (l: string) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const starts = (text: string, literals: readonly string[], flags: string) => {
      const found = new Set<number>();
      for (const l of literals) {
        const re = new RegExp(escape(l), flags + 'y');
        for (let i = 0; i < text.length; i++) {
          re.lastIndex = i;
          if (re.test(text)) found.add(i);
        }
      }
      return [...found].sort((a, b) => a - b);
    };
    const pieces = fc.constantFrom(
      'Getty',
      'GETTY',
      'getty Images',
      'Images',
      'EPA',
      'epa',
      'Foto',
      'FOTO',
      'PHOTO',
      'Photo',
      'ci',
      'e',
      'CIE',
      '="',
      '=',
      '"',
      'K',
      'ſ',
      'İ',
      'x',
      ' ',
      'afp',
    );
    let recorded = 0;
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 10 }), (parts) => {
        const text = parts.join('');
        const { marks, sites } = index.scanDocument(text);
        if (text.includes('\u0130')) return marks === null && sites === null;
        expect(marks).not.toBeNull();
        if (text.includes('\u017f')) return sites === null;
        const dedupe = (list: number[]) => [...new Set(list)];
        recorded += sites![0].length + sites![1].length;
        expect(dedupe(sites![0])).toEqual(starts(text, loose.literals, 'iu'));
        expect(dedupe(sites![1])).toEqual(starts(text, exact.literals, 'u'));
        return true;
      }),
      { numRuns: 3_000 },
    );
    expect(recorded).toBeGreaterThan(0);
  });
});

describe('the default set', () => {
  const patterns = filtered.defs.filter((d) => d.kind === 'pattern' && d.enabled !== false);

  test.each(patterns.map((d) => [d.id, d] as const))('%s: wherever the pattern matches, one of its literals is there', (_id, def) => {
    const literals = requiredLiterals(patternSource(def.pattern as string | string[]));
    const flags = ((def.flags as string | undefined) ?? 'iu').replace('g', '');
    // A pattern that minds case has literals that keep theirs (kinds/pattern.ts skips the
    // documents holding none of them): each match holds one as it is written.
    const cased = flags.includes('i') ? null : requiredLiterals(patternSource(def.pattern as string | string[]), true);
    if (!literals && !cased) return;
    const re = new RegExp(patternSource(def.pattern as string | string[]), flags);
    const automaton = literals && new LiteralAutomaton([literals]);
    let matched = 0;
    for (const text of allExamples.flatMap(variants)) {
      for (const line of [text, ...text.split('\n')]) {
        const m = re.exec(line);
        if (!m) continue;
        matched++;
        if (automaton) expect({ line, found: automaton.scan(line, new Uint8Array(1)) }).toEqual({ line, found: 1 });
        if (cased) expect({ match: m[0], holds: cased.some((l) => m[0].includes(l)) }).toEqual({ match: m[0], holds: true });
      }
    }
    // The rule's own remove examples match: the check above was not vacuous.
    if (def.scope === 'block') expect(matched).toBeGreaterThan(0);
  });

  test("every rule's remove and keep examples clean the same with and without the prefilter", () => {
    let compared = 0;
    for (const text of allExamples.flatMap(variants)) {
      expect(timeless(cleanText(text, filtered))).toEqual(timeless(cleanText(text, unfiltered)));
      compared++;
    }
    expect(compared).toBe(allExamples.length * 4);
  });

  test('inline patterns tried next to their literals find what a scan of the whole text finds', () => {
    // Example texts of the inline rules cut into pieces and glued again in any order, with line
    // breaks, sentence ends and separators between them.
    const inline = filtered.defs.filter((d) => d.kind === 'pattern' && d.scope === 'inline');
    const pieces = inline.flatMap(exampleTexts).flatMap((t) => [t, ...t.split(/(?<=[\s|/(])/)]);
    const text = fc
      .array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom('\n', '\n\n', '. ', ' | ', ' ', '(', ')', 'Mark ', '\ud83d\ude00')), { maxLength: 12 })
      .map((a) => a.join(''));
    let removed = 0;
    fc.assert(
      fc.property(text, (t) => {
        const a = cleanText(t, filtered);
        removed += a.removed.length;
        expect(timeless(a)).toEqual(timeless(cleanText(t, unfiltered)));
      }),
      { numRuns: 400 },
    );
    expect(removed).toBeGreaterThan(0);
    // A lead longer than the anchored tries: the pattern scans on by itself from its start.
    const long = `Gunmen attacked the museum and ${'killed many '.repeat(30)}people. Fethi Belaid/AFP/Getty Images`;
    const a = cleanText(long, filtered);
    expect(a.removed.map((r) => r.text)).toEqual(['Fethi Belaid/AFP/Getty Images']);
    expect(timeless(a)).toEqual(timeless(cleanText(long, unfiltered)));
  });

  test("the document's one scan marks every block's literal rules the block's own scan marks", () => {
    const filter = filtered.blockFilter!;
    const n = filtered.block.length;
    const lines = allExamples.flatMap(variants).flatMap((t) => t.split('\n'));
    const doc = fc
      .array(fc.oneof(fc.constantFrom(...lines), fc.constantFrom('\n', '\n\n', ' ', ' | ', 'Getty', '©')), { maxLength: 10 })
      .map((a) => a.join(''));
    let marked = 0;
    let compared = 0;
    const check = (text: string) => {
      const blocks = segment(text);
      const { blockMarks } = filtered.requirements!.scanDocument(text, blocks);
      if (blockMarks === null) return text.includes('\u0130') || text.includes('\u017f');
      blocks.forEach((b, i) => {
        const own = new Uint8Array(n);
        const read = new Uint8Array(n);
        filter.mark(b, own);
        filter.markWith(b, read, blockMarks, i * n);
        for (let k = 0; k < n; k++)
          if (own[k] === 1) expect({ rule: filtered.rules[filtered.block[k]].id, text: b.text, read: read[k] }).toMatchObject({ read: 1 });
        marked += own.reduce((a, x) => a + x, 0);
        compared++;
      });
      return true;
    };
    for (const text of allExamples.flatMap(variants)) expect(check(text)).toBe(true);
    fc.assert(fc.property(doc, check), { numRuns: 500 });
    expect(compared).toBeGreaterThan(1000);
    expect(marked).toBeGreaterThan(compared);
  });

  test('the prefilter marks every block rule that objects to a block, on examples and random text', () => {
    const filter = new BlockStageFilter(filtered.block.map((i) => filtered.rules[i]));
    const objectors = (text: string) => {
      const missed: string[] = [];
      const marks = new Uint8Array(filtered.block.length);
      for (const b of segment(text)) {
        filter.mark(b, marks);
        const fresh = { ...b, squashed: undefined };
        filtered.block.forEach((ruleIndex, k) => {
          // Rules that need the document (topic, requires) are asked with an empty one: only their block test matters here.
          const rule = filtered.rules[ruleIndex];
          if (!marks[k] && rule.def.kind === 'phrase' && rule.block!(fresh, {} as never) !== null) missed.push(`${rule.id}: ${b.text}`);
        });
      }
      return missed;
    };
    for (const text of allExamples.flatMap(variants)) expect(objectors(text)).toEqual([]);
    const phrases = filtered.defs.flatMap((d) => (d.kind === 'phrase' ? (d.phrases as string[]) : []));
    const glued = fc
      .tuple(
        fc.array(fc.oneof(fc.constantFrom(...phrases), fc.constantFrom(' ', '|', '-', '•', '»', '–', '\u00a0', 'É', 'ß', 'Σ', '1', 'ª')), { maxLength: 4 }),
        fc.constantFrom('', ' ', ' | '),
      )
      .map(([parts, glue]) => parts.join(glue));
    fc.assert(
      fc.property(glued, (text) => objectors(text).length === 0),
      { numRuns: 2_000 },
    );
  });
});

describe('end checks read backwards instead of regexes tried at every position', () => {
  const chars = fc.constantFrom('a', 'B', '1', '/', '.', '…', '!', '?', '。', '”', '"', '’', "'", ')', ']', '」', '»', ' ', '\u00a0', '\n', '\ufeff');
  const texts = fc.array(chars, { maxLength: 10 }).map((a) => a.join(''));

  test('closesSentence answers as the sentence-end regex it replaced', () => {
    const re = /[.!?…。！？][”"’')\]」»]*\s*$/u;
    fc.assert(
      fc.property(texts, (t) => closesSentence(t) === re.test(t)),
      { numRuns: 5_000 },
    );
  });

  test("the teaser's shape check never refuses a block either shape matches", () => {
    const counter = /^\d{1,3}\s?\/\s?\d{1,3}(?=\p{Lu})/u;
    const truncated = /(?:…|\.\.\.)\s*[”"’)]?$/u;
    fc.assert(
      fc.property(texts, (t) => {
        const trimmed = t.trim();
        return !(counter.test(trimmed) || truncated.test(trimmed)) || mayHaveShape(t);
      }),
      { numRuns: 5_000 },
    );
  });
});
