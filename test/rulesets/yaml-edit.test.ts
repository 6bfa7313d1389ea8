/** Saves edit the stored YAML where the set changed; everything else stays byte for byte. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { editYaml, renderYaml } from '../../src/rulesets/yaml-edit';
import { REPO_ROOT } from '../paths';

const changedLines = (before: string, after: string) => {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((l) => l && !old.has(l));
};

const FILE = [
  '# the set',
  'id: s',
  'version: 1',
  'rules:',
  '  # first',
  '  - id: a',
  '    kind: phrase',
  '    phrases: [A, B]  # two of them',
  '    description: >-',
  '      folded',
  '      text',
  '  # second',
  '  - id: b',
  '    kind: pattern',
  "    pattern: 'x|y'",
].join('\n'); // no newline at the end

describe('editYaml', () => {
  const value = YAML.parse(FILE);

  it('answers the same text when nothing changed', () => {
    expect(editYaml(FILE, value)).toBe(FILE);
    const shipped = readFileSync(join(REPO_ROOT, 'rules', 'default.yaml'), 'utf8');
    expect(editYaml(shipped, YAML.parse(shipped))).toBe(shipped);
  });

  it('changes only the lines of what changed, keeping every comment and style', () => {
    const next = structuredClone(value);
    next.version = 2;
    next.rules[0].phrases = ['A', 'B', 'yes'];
    next.rules[1].pattern = ['x', 'y'];
    next.rules[1].flags = 'iu';
    const out = editYaml(FILE, next);
    expect(YAML.parse(out)).toEqual(next);
    expect(YAML.parse(out, { version: '1.1' })).toEqual(next);
    for (const c of ['# the set', '# first', '# second', '# two of them']) expect(out).toContain(c);
    expect(out).toContain('    description: >-\n      folded\n      text\n');
    expect(changedLines(FILE, out)).toEqual([
      'version: 2',
      '    phrases: [ A, B, "yes" ] # two of them',
      '    pattern:',
      '      - x',
      '      - "y"',
      '    flags: iu',
    ]);
  });

  it('adds, removes and reorders rules by id, leaving the others as written', () => {
    const next = structuredClone(value);
    next.rules = [next.rules[1], { id: 'c', kind: 'phrase', phrases: ['on'] }];
    const out = editYaml(FILE, next);
    expect(YAML.parse(out)).toEqual(next);
    expect(YAML.parse(out, { version: '1.1' })).toEqual(next);
    expect(out).toContain("  # second\n  - id: b\n    kind: pattern\n    pattern: 'x|y'\n  - id: c\n");
    expect(out).not.toContain('id: a');
  });

  it('writes the file afresh when it does not parse', () => {
    expect(editYaml('id: [unclosed', { id: 's', version: 1, rules: [] })).toBe(renderYaml({ id: 's', version: 1, rules: [] }));
  });
});
