#!/usr/bin/env node
/**
 * Part of `npm run build`: parses and checks the packaged rule sets and models (rules/) the way
 * every start would, and writes what they parse to into dist/rulesets/prechecked.json, keyed by
 * a hash of each file's exact text (see src/rulesets/prechecked.ts). Sets are checked on both
 * regex engines: the library's (js) and the one the CLI and the service use (safe). A file that
 * does not check is left out (it is refused at start, as before), and so is one whose data would
 * not come back the same from JSON. It also writes the reading of every pattern of the checked
 * sets, either case (required literals and their lead: requiredRead of
 * dist/engine/prefilter/literals.js), with a hash of that module.
 */
'use strict';
const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { extname, join, resolve } = require('node:path');
const { isDeepStrictEqual } = require('node:util');

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'dist');
const { PRECHECKED_FILE, PRECHECKED_FORMAT, precheckKey, literalsModuleHash, readKey } = require(join(DIST, 'rulesets', 'prechecked.js'));
// A table from an earlier build must not answer for this one's checks.
rmSync(PRECHECKED_FILE, { force: true });
const { parseRuleSetText } = require(join(DIST, 'rulesets', 'load.js'));
const { parseModelText, modelFileNames, MODELS_DIR } = require(join(DIST, 'rulesets', 'models.js'));
const { JS_REGEX } = require(join(DIST, 'engine', 'index.js'));
const { SAFE_REGEX } = require(join(DIST, 'rulesets', 'safe-regex.js'));
const { requiredRead } = require(join(DIST, 'engine', 'prefilter', 'literals.js'));
const { patternSource } = require(join(DIST, 'engine', 'kinds', 'pattern.js'));

const RULES = join(ROOT, 'rules');
const entries = {};
const reads = {};
const skipped = [];
if (!existsSync(RULES)) {
  // Nothing to check: every start then checks its files in full, which is only slower.
  process.stderr.write(`precheck-rules: no ${RULES}, nothing checked at build time\n`);
  writeFileSync(PRECHECKED_FILE, JSON.stringify({ format: PRECHECKED_FORMAT, entries }));
  process.exit(0);
}

function add(key, data, file) {
  const json = JSON.stringify(data);
  if (!isDeepStrictEqual(JSON.parse(json), data)) {
    skipped.push(`${file} (not plain JSON data)`);
    return;
  }
  entries[key] = json;
}

for (const name of readdirSync(RULES).sort()) {
  const ext = extname(name);
  if (name.startsWith('.') || !['.yaml', '.yml', '.json'].includes(ext)) continue;
  const file = join(RULES, name);
  const text = readFileSync(file, 'utf8');
  for (const engine of [JS_REGEX, SAFE_REGEX]) {
    try {
      const def = parseRuleSetText(text, file, { regex: engine });
      add(precheckKey(ext === '.json' ? 'set:json' : 'set:yaml', text, engine.name), def, file);
      for (const rule of def.rules) {
        if (rule.kind !== 'pattern') continue;
        const source = patternSource(rule.pattern);
        for (const caseSensitive of [false, true]) reads[readKey(source, caseSensitive)] = requiredRead(source, caseSensitive);
      }
    } catch (e) {
      skipped.push(`${file} on ${engine.name} (${e.message.split('\n')[0]})`);
    }
  }
}
for (const name of modelFileNames(RULES)) {
  const file = join(RULES, MODELS_DIR, name);
  const text = readFileSync(file, 'utf8');
  try {
    add(precheckKey('model', text), parseModelText(text, file), file);
  } catch (e) {
    skipped.push(`${file} (${e.message.split('\n')[0]})`);
  }
}
writeFileSync(PRECHECKED_FILE, JSON.stringify({ format: PRECHECKED_FORMAT, entries, reads, literalsModule: literalsModuleHash() }));
for (const s of skipped) process.stderr.write(`precheck-rules: left out ${s}\n`);
