/** The error table (src/errors.ts) and its documentation (docs/errors.md) list the same codes. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ERROR_CODES } from '../src/errors';
import { REPO_ROOT } from './paths';

/** The rows of the docs' table: | `code` | status | meaning |. */
function documentedCodes(): Map<string, number> {
  const doc = readFileSync(resolve(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `([a-z-]+)` \| (\d{3}) \|/gm)];
  return new Map(rows.map((m) => [m[1], Number(m[2])]));
}

describe('docs/errors.md', () => {
  const documented = documentedCodes();

  it('lists every code of the table, with its status', () => {
    const table = Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]);
    expect(table.filter(([code, status]) => documented.get(code as string) !== status)).toEqual([]);
  });

  it('lists no code the table does not have', () => {
    expect([...documented.keys()].filter((code) => !(code in ERROR_CODES))).toEqual([]);
  });

  it('is read as a table at all', () => {
    expect(documented.size).toBeGreaterThan(20);
  });
});
