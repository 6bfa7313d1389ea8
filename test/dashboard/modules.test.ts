/** The dashboard's pure modules: corpus parsing, the YAML diff, chunking of long documents, the rule-set editor. */
import { parseCorpus } from '../../src/dashboard/web/src/corpus';
import { diffLines, hunks, ruleHunks } from '../../src/dashboard/web/src/diff';
import { markRemovals } from '../../src/dashboard/web/src/page-marks';
import { RuleSetEditor } from '../../src/dashboard/web/src/ruleset';
import { chunkPieces, type RemovedSpan } from '../../src/dashboard/web/src/spans';

describe('parseCorpus', () => {
  test('reads both labelled formats and refuses bad lines one by one', () => {
    const { docs, errors } = parseCorpus(
      [
        JSON.stringify({ id: 'a', text: 'x', gold: 'x' }),
        '',
        JSON.stringify({ id: 'b', text: 'y', with: ['y'], without: ['z'] }),
        '{oops',
        JSON.stringify({ id: 'a', text: 'dup', gold: '' }),
        JSON.stringify({ id: 'c', text: 'no labels' }),
        JSON.stringify({ id: 7, text: 't', with: ['t'] }),
      ].join('\n'),
    );
    expect(docs.map((d) => d.id)).toEqual(['a', 'b', '7']);
    expect(docs[2]).toEqual({ id: '7', text: 't', with: ['t'], without: [] });
    expect(errors).toEqual([
      expect.stringMatching(/^line 4: not valid JSON/),
      expect.stringMatching(/^line 5: id "a"/),
      expect.stringMatching(/^line 6: needs "gold"/),
    ]);
  });
});

describe('diffLines', () => {
  test('marks changed lines and keeps the rest', () => {
    const d = diffLines('a\nb\nc\nd', 'a\nB\nc\nd\ne');
    expect(d).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'B' },
      { op: ' ', text: 'c' },
      { op: ' ', text: 'd' },
      { op: '+', text: 'e' },
    ]);
  });

  test('hunks fold long unchanged stretches', () => {
    const before = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 50', 'line fifty');
    const h = hunks(diffLines(before, after), 2);
    expect(h.filter((l) => l.op === '…').map((l) => l.text)).toEqual(['48 unchanged lines', '47 unchanged lines']);
    expect(h.filter((l) => l.op === '+' || l.op === '-')).toHaveLength(2);
  });
});

describe('chunkPieces', () => {
  const span = (start: number, end: number): RemovedSpan => ({ start, end, text: '', rule: 'r', category: 'ad', reason: '' });

  test('covers the whole text exactly once, spans intact, chunks near the target size', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i} with some words`).join('\n');
    const removed = [span(10, 30), span(5000, 5100), span(30000, 30010), span(text.length - 5, text.length)];
    const chunks = chunkPieces(text.length, removed, text, 4000);
    const flat = chunks.flat();
    let at = 0;
    for (const p of flat) {
      expect(p.start).toBe(at);
      expect(p.end).toBeGreaterThan(p.start);
      at = p.end;
    }
    expect(at).toBe(text.length);
    expect(flat.filter((p) => p.kind === 'removed').map((p) => [p.start, p.end])).toEqual(removed.map((r) => [r.start, r.end]));
    for (const c of chunks.slice(0, -1)) expect(c.reduce((n, p) => n + p.end - p.start, 0)).toBeLessThanOrEqual(4000 + 100);
    // Cuts in kept text fall after a newline, so lines are not split between chunks.
    for (const c of chunks.slice(0, -1)) {
      const last = c[c.length - 1];
      if (last.kind === 'text') expect(text[last.end - 1]).toBe('\n');
    }
  });

  test('a small document is one chunk', () => {
    expect(chunkPieces(10, [span(0, 3)], '0123456789')).toHaveLength(1);
  });
});

describe('RuleSetEditor', () => {
  const saved = {
    id: 'news',
    version: 2,
    extends: 'default',
    rules: [{ id: 'own', category: 'ad', description: 'd', kind: 'phrase', phrases: ['Ad'] }],
  };
  const inherited = [{ rule: { id: 'base-rule', category: 'teaser', description: 'd', kind: 'teaser' }, from: 'default', own: false }];

  test('own rules switch off with enabled: false, inherited ones through disable', () => {
    const e = new RuleSetEditor(saved, '"news@2"', inherited);
    expect(e.forRequest()).toBe('news');
    e.setEnabled('own', false);
    e.setEnabled('base-rule', false);
    expect(e.edited.rules[0].enabled).toBe(false);
    expect(e.edited.disable).toEqual(['base-rule']);
    // Sent as an overlay on the saved set: nothing but the two switches.
    expect(e.forRequest()).toEqual({ id: 'news', version: 2, extends: 'news', rules: [], disable: ['base-rule', 'own'] });
    e.setEnabled('own', true);
    e.setEnabled('base-rule', true);
    // Back on: the set equals the saved one again (no spurious diff).
    expect(e.dirty()).toBe(false);
    expect(saved.rules[0]).not.toHaveProperty('enabled');
  });

  test('the overlay carries only changed rules, and re-enables through an override', () => {
    const e = new RuleSetEditor({ ...saved, disable: ['base-rule'] }, null, inherited);
    e.setField('own', 'phrases', ['Ad', 'Anzeige']);
    e.setEnabled('base-rule', true);
    expect(e.overlay()).toEqual({
      id: 'news',
      version: 2,
      extends: 'news',
      rules: [
        { id: 'own', category: 'ad', description: 'd', kind: 'phrase', phrases: ['Ad', 'Anzeige'] },
        { id: 'base-rule', category: 'teaser', description: 'd', kind: 'teaser' },
      ],
    });
  });

  test('fields set and cleared; revert restores the saved set', () => {
    const e = new RuleSetEditor(saved, null, inherited);
    e.setField('own', 'phrases', ['Ad', 'Anzeige']);
    expect(e.dirty()).toBe(true);
    e.setField('own', 'phrases', undefined);
    expect(e.edited.rules[0]).not.toHaveProperty('phrases');
    e.revert();
    expect(e.edited).toEqual(saved);
  });
});

describe('ruleHunks', () => {
  test('a rule switched off is its own hunk, named by it, not by the rule after it', () => {
    const saved = [
      'id: default',
      'rules:',
      '  - id: ad-marker',
      '    kind: phrase',
      '    examples:',
      '      keep: []',
      '  - id: comment-furniture',
      '    kind: phrase',
    ].join('\n');
    const edited = saved.replace('      keep: []\n', '      keep: []\n    enabled: false\n');
    const parts = ruleHunks(diffLines(saved, edited));
    expect(parts.map((p) => p.rule)).toEqual(['ad-marker']);
    expect(parts[0].lines.filter((l) => l.op === '+')).toEqual([{ op: '+', text: '    enabled: false' }]);
  });

  test('changes in two rules far apart are two hunks; a change above the rules belongs to the set', () => {
    const rules = Array.from({ length: 12 }, (_, i) => [`  - id: r${i}`, '    kind: phrase', '    phrases: [a]'].join('\n'));
    const saved = ['id: s', 'version: 1', 'rules:', ...rules].join('\n');
    const edited = saved
      .replace('version: 1', 'version: 2')
      .replace('  - id: r1\n    kind: phrase\n    phrases: [a]', '  - id: r1\n    kind: phrase\n    phrases: [b]')
      .replace('  - id: r9\n    kind: phrase\n    phrases: [a]', '  - id: r9\n    kind: phrase\n    phrases: [c]');
    expect(ruleHunks(diffLines(saved, edited)).map((p) => p.rule)).toEqual([null, 'r1', 'r9']);
  });
});

describe('markRemovals', () => {
  test('a removed element gets data-dc on its start tag; removed text is wrapped in a mark', () => {
    const html = '<body><nav class="x"><a>Home</a></nav><p>Keep this. Share</p></body>';
    const nav = html.indexOf('<nav');
    const navEnd = html.indexOf('</nav>') + 6;
    const share = html.indexOf('Share');
    expect(
      markRemovals(html, [
        { start: nav, end: navEnd },
        { start: share, end: share + 5 },
      ]),
    ).toBe('<body><nav data-dc="0" class="x"><a>Home</a></nav><p>Keep this. <mark data-dc="1">Share</mark></p></body>');
  });

  test('spans past the end or overlapping are skipped, never thrown on', () => {
    expect(
      markRemovals('<p>ab</p>', [
        { start: 3, end: 4 },
        { start: 3, end: 5 },
        { start: 8, end: 99 },
      ]),
    ).toBe('<p><mark data-dc="0">a</mark>b</p>');
  });
});

describe('parseCorpus with pages', () => {
  test('a {id, html} line is a page to look at; with text and gold it is also scored', () => {
    const { docs, pages, errors } = parseCorpus(
      [JSON.stringify({ id: 'p', html: '<p>x</p>' }), JSON.stringify({ id: 'q', html: '<p>y</p>', text: 'y', gold: 'y' })].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(pages.map((p) => p.id)).toEqual(['p', 'q']);
    expect(docs.map((d) => d.id)).toEqual(['q']);
  });
});
