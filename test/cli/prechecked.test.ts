/**
 * The packaged rules checked at build time (src/rulesets/prechecked.ts): a start reads their
 * checked data instead of parsing and checking them again, and any other text is checked in full.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseRuleSetText } from '../../src/rulesets/load';
import { parseModelText } from '../../src/rulesets/models';
import { precheckKey, readKey, type PrecheckedTable } from '../../src/rulesets/prechecked';
import { requiredRead } from '../../src/engine/prefilter/literals';
import { patternSource } from '../../src/engine/kinds/pattern';
import { SAFE_REGEX } from '../../src/rulesets/safe-regex';
import { JS_REGEX } from '../../src/engine';
import { CLI, REPO_ROOT } from '../paths';

const TABLE = resolve(REPO_ROOT, 'dist', 'rulesets', 'prechecked.json');
const RULES = resolve(REPO_ROOT, 'rules');

function declutter(args: string[], env: Record<string, string>, input: string) {
  return spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, input, encoding: 'utf8' });
}

describe('rule files checked at build time', () => {
  let table: PrecheckedTable;
  let dir: string;
  beforeAll(() => {
    if (!existsSync(TABLE)) throw new Error(`${TABLE} is missing: run "npm run build" first (npm test does)`);
    table = JSON.parse(readFileSync(TABLE, 'utf8')) as PrecheckedTable;
    dir = mkdtempSync(join(tmpdir(), 'declutter-prechecked-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds what a full parse and check gives, for the default set on both engines and for each model', () => {
    const text = readFileSync(join(RULES, 'default.yaml'), 'utf8');
    for (const engine of [JS_REGEX, SAFE_REGEX]) {
      const stored = table.entries[precheckKey('set:yaml', text, engine.name)];
      expect(stored).toBeDefined();
      expect(JSON.parse(stored)).toEqual(parseRuleSetText(text, 'default.yaml', { regex: engine }));
    }
    for (const name of ['text.yaml', 'html.yaml']) {
      const model = readFileSync(join(RULES, 'models', name), 'utf8');
      expect(JSON.parse(table.entries[precheckKey('model', model)])).toEqual(parseModelText(model, name));
    }
    // One key per text, way of parsing and engine: a text checked on one engine says nothing of another.
    expect(precheckKey('set:yaml', text, 'js')).not.toBe(precheckKey('set:yaml', text, 'safe'));
    expect(precheckKey('set:yaml', text, 'js')).not.toBe(precheckKey('set:json', text, 'js'));
    expect(precheckKey('set:yaml', text, 'js')).not.toBe(precheckKey('set:yaml', `${text}\n`, 'js'));
  });

  it('holds each pattern’s reading (required literals and lead) in either case, as the literals module reads it', () => {
    const def = parseRuleSetText(readFileSync(join(RULES, 'default.yaml'), 'utf8'), 'default.yaml');
    const sources = def.rules.flatMap((r) => (r.kind === 'pattern' ? [patternSource((r as unknown as { pattern: string | string[] }).pattern)] : []));
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources)
      for (const caseSensitive of [false, true]) {
        expect([source, caseSensitive, table.reads?.[readKey(source, caseSensitive)]]).toEqual([source, caseSensitive, requiredRead(source, caseSensitive)]);
      }
    // Some inline pattern has a lead, so the table spares the inline scan's reading too.
    expect(sources.some((s) => table.reads?.[readKey(s, true)]?.lead)).toBe(true);
  });

  it('cleans with the packaged rules as the library does, and still refuses an edited set that does not check', () => {
    const input =
      'Home | News | Sport\n\nThe council met on Tuesday to discuss the new budget, and members agreed that the plan needed more work.\n\nShare on Facebook\n';
    const packaged = declutter(['clean', '--json'], {}, input);
    expect(packaged.status).toBe(0);
    const copy = join(dir, 'rules');
    cpSync(RULES, copy, { recursive: true });
    // The same set with one byte more: not in the table, so parsed and checked in full, with the same result.
    const file = join(copy, 'default.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n`);
    const edited = declutter(['clean', '--json'], { DECLUTTER_RULES_DIR: copy }, input);
    expect(edited.status).toBe(0);
    const strip = (s: string) => s.replace(/"elapsedMs":[0-9.e-]+/g, '');
    expect(strip(edited.stdout)).toBe(strip(packaged.stdout));
    expect(JSON.parse(packaged.stdout).text).toContain('The council met');
    // A field no rule kind has is refused, with the rule named, although the rest of the file is the packaged one.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n {4}kind: phrase\n/, '\n    kind: phrase\n    colour: red\n'));
    const broken = declutter(['clean'], { DECLUTTER_RULES_DIR: copy }, input);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/field "colour": is not a known field/);
  });
});
