#!/usr/bin/env node
// What running the packaged default set's patterns on RE2 would cost (they keep JavaScript's
// engine; user-written patterns run on RE2). Cleans the first N pages of aeb-dev both ways and
// checks the outputs are the same.  Usage: npm run build && node bench/re2-cost.js [N]
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { cleanText, compileRuleSet, JS_REGEX } = require('../dist/engine');
const { re2Regex } = require('../dist/rulesets/safe-regex');
const { readRuleSetFile } = require('../dist/rulesets/load');

const n = Number(process.argv[2] ?? 150);
const docs = readFileSync(resolve(__dirname, '..', '..', 'shared', 'data', 'dev', 'aeb-dev.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, n)
  .map((l) => JSON.parse(l));
const def = readRuleSetFile(resolve(__dirname, '..', 'rules', 'default.yaml'));

function run(label, regex) {
  const set = compileRuleSet(def, undefined, { regex });
  for (const d of docs.slice(0, 20)) cleanText(d.text, set, {}); // warm up
  const best = [];
  let out;
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    out = docs.map((d) => cleanText(d.text, set, {}).text);
    best.push(performance.now() - t);
  }
  console.log(`${label}: ${Math.min(...best).toFixed(0)} ms for ${docs.length} pages (best of 3)`);
  return out;
}

const js = run('JavaScript RegExp', JS_REGEX);
const re2 = run('RE2 where it compiles', { name: 're2-everywhere', compile: (s, f) => re2Regex(s, f) ?? new RegExp(s, f) });
console.log(`pages with a different text: ${js.filter((t, i) => t !== re2[i]).length}`);
