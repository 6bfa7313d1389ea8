/** Figures the docs quote about the shipped rule set must be the shipped set's. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { REPO_ROOT } from '../paths';

interface Rule {
  examples?: { remove?: unknown[]; keep?: unknown[] };
}

test('docs/rulesets.md counts the rules and examples of rules/default.yaml as they are', () => {
  const { rules } = YAML.parse(readFileSync(resolve(REPO_ROOT, 'rules', 'default.yaml'), 'utf8')) as { rules: Rule[] };
  const examples = rules.reduce((n, r) => n + (r.examples?.remove?.length ?? 0) + (r.examples?.keep?.length ?? 0), 0);
  const quoted = /the whole default set \((\d+) rules, (\d+) examples\)/.exec(readFileSync(resolve(REPO_ROOT, 'docs', 'rulesets.md'), 'utf8'));
  expect(quoted).not.toBeNull();
  expect(`${quoted![1]} rules, ${quoted![2]} examples`).toBe(`${rules.length} rules, ${examples} examples`);
});
