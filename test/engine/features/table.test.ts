/** Feature rows are written by name: each table's columns come from its names, one column per name. */
import { CONTEXT_COLUMN, CONTEXT_FEATURES } from '../../../src/engine/features/context';
import { LOCAL_COLUMN, LOCAL_FEATURES } from '../../../src/engine/features/local';
import { columnsOf, type FeatureInfo } from '../../../src/engine/features/table';
import { DOM_COLUMN, DOM_FEATURES } from '../../../src/engine/html/dom-features';

test('a column per name, at the name’s place in the table', () => {
  const table = [{ name: 'b' }, { name: 'a' }, { name: 'c' }] as const;
  expect(columnsOf(table)).toEqual({ b: 0, a: 1, c: 2 });
});

test('a name twice is refused: two features would share a column', () => {
  expect(() => columnsOf([{ name: 'a' }, { name: 'b' }, { name: 'a' }])).toThrow(/"a" is in the table twice/);
});

test.each([
  ['local', LOCAL_FEATURES, LOCAL_COLUMN],
  ['context', CONTEXT_FEATURES, CONTEXT_COLUMN],
  ['dom', DOM_FEATURES, DOM_COLUMN],
] as [string, readonly FeatureInfo[], Readonly<Record<string, number>>][])('the %s table: every feature has its own column', (_, table, columns) => {
  expect(Object.keys(columns)).toHaveLength(table.length);
  table.forEach((f, i) => expect([f.name, columns[f.name]]).toEqual([f.name, i]));
});
