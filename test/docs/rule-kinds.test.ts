/** The README's list of rule kinds is the engine's: a kind added to the engine must be documented. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULE_KINDS } from '../../src/engine/kinds';
import { REPO_ROOT } from '../paths';

/** The kinds the README's "Kinds:" list names, one `- \`kind\` — ...` item each. */
function documentedKinds(): string[] {
  const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('\nKinds:\n');
  if (at < 0) throw new Error('README.md has no "Kinds:" list');
  const list = readme.slice(at).split('\n\n')[1];
  return [...list.matchAll(/^- `(\w+)` —/gm)].map((m) => m[1]);
}

test('the README lists every rule kind of the engine, and no other', () => {
  expect(documentedKinds().sort()).toEqual([...RULE_KINDS.keys()].sort());
});
