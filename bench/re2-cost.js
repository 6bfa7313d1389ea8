#!/usr/bin/env node
// What RE2 costs, per implementation: the native addon (`npm install re2`, compiled from C++) and
// re2js (pure JavaScript, the default), against JavaScript's RegExp. CPU time (process.cpuUsage),
// best of 3. Prints:
//  1. the default set cleaning the first N aeb-dev pages on each engine (the packaged patterns keep
//     JavaScript's engine; this is what running them on RE2 would cost), outputs compared;
//  2. compiling every pattern of the default set, and user-like patterns matched (g flag, exec
//     loop as the pattern kind runs them) over all dev texts, matches compared with RegExp's;
//  3. patterns the two RE2s accept differently (after toRE2Source);
//  4. ^(a+)+$ on 40 a's and "!" (and 1000 times longer) on each RE2.
// Usage: npm run build && node bench/re2-cost.js [N]
'use strict';
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { cleanText, compileRuleSet, JS_REGEX } = require('../dist/engine');
const { toRE2Source } = require('../dist/rulesets/safe-regex');
const { LinearRegExp } = require('../dist/rulesets/re2js-regex');
const { readRuleSetFile } = require('../dist/rulesets/load');
const { patternSource } = require('../dist/engine/kinds/pattern');

let NativeRE2 = null;
try {
  NativeRE2 = require('re2');
} catch {
  console.log('native re2 not installed: only re2js is measured');
}
const n = Number(process.argv[2] ?? 150);
const dev = (name) =>
  readFileSync(resolve(__dirname, '..', '..', 'shared', 'data', 'dev', name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const aeb = dev('aeb-dev.jsonl');
const texts = [...aeb, ...dev('readability-dev.jsonl')].map((d) => d.text).filter((t) => typeof t === 'string');
const def = readRuleSetFile(resolve(__dirname, '..', 'rules', 'default.yaml'));

/** CPU ms of fn, best of 3 (after one warm-up call). */
function cpu(fn) {
  let out = fn();
  const best = [];
  for (let round = 0; round < 3; round++) {
    const t = process.cpuUsage();
    out = fn();
    const d = process.cpuUsage(t);
    best.push((d.user + d.system) / 1000);
  }
  return { ms: Math.min(...best), out };
}

/** A RegExp-like on the given RE2 where it compiles after toRE2Source, else undefined. */
const onRE2 = (RE2) => (s, f) => {
  const t = toRE2Source(s, f);
  if (t === undefined) return undefined;
  try {
    return new RE2(t, f);
  } catch {
    return undefined;
  }
};
const engines = [['re2js', onRE2(LinearRegExp)], ...(NativeRE2 ? [['native re2', onRE2(NativeRE2)]] : [])];

// 1. The default set's cleaning.
const docs = aeb.slice(0, n);
const clean = (regex) => {
  const set = compileRuleSet(def, undefined, { regex });
  return () => docs.map((d) => cleanText(d.text, set, {}).text);
};
const js = cpu(clean(JS_REGEX));
console.log(`1. default set, ${docs.length} aeb-dev pages: JavaScript RegExp ${js.ms.toFixed(0)} ms CPU`);
for (const [name, make] of engines) {
  const r = cpu(clean({ name, compile: (s, f) => make(s, f) ?? new RegExp(s, f) }));
  console.log(`   ${name} where it compiles: ${r.ms.toFixed(0)} ms CPU, pages with a different text: ${js.out.filter((t, i) => t !== r.out[i]).length}`);
}

// 2. Compiling the default set's patterns; user-like patterns over every dev text.
const defaultPatterns = def.rules.filter((r) => r.pattern !== undefined).map((r) => [patternSource(r.pattern), r.flags ?? 'iu']);
const USER = [
  'photo: \\w+',
  '^(a+)+$',
  'subscribe (?:now|today)[^\\n]{0,80}$',
  '\\bsponsored\\b',
  '^(?:share|tweet|email)(?:\\s*\\|\\s*(?:share|tweet|email))*$',
  '\\p{Lu}\\p{Ll}+ \\p{Lu}\\.? \\p{Lu}\\p{Ll}+',
  '\\d{1,2}:\\d\\d\\s*(?:am|pm)',
  '[\\w.+-]+@[\\w-]+\\.[\\w.]+',
  'https?://\\S+',
  '^\\s*advertisement\\s*$',
  '(?:cookie|privacy) (?:policy|settings)',
  '.{3}ing\\b',
];
const compileAll = (make) => () => defaultPatterns.map(([s, f]) => make(s, f)).filter(Boolean).length;
console.log(`2. compiling the ${defaultPatterns.length} patterns of the default set (the ones each engine accepts):`);
console.log(`   JavaScript RegExp ${cpu(compileAll((s, f) => new RegExp(s, f))).ms.toFixed(1)} ms CPU`);
for (const [name, make] of engines) {
  const r = cpu(compileAll(make));
  console.log(`   ${name} ${r.ms.toFixed(1)} ms CPU (${r.out} compile)`);
}
const matches = (re) => {
  const out = [];
  for (const t of texts) {
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(t)) !== null) {
      out.push(m.index, m[0].length);
      if (m[0].length === 0) re.lastIndex = m.index + 1;
    }
  }
  return out.join(',');
};
const userRun = (make) => () => USER.map((p) => matches(make(p, 'gimu'))).join(';');
const jsUser = cpu(userRun((s, f) => new RegExp(s, f)));
console.log(`   ${USER.length} user-like patterns over ${texts.length} dev texts (${(texts.join('').length / 1e6).toFixed(1)} M chars), g flag:`);
console.log(`   JavaScript RegExp ${jsUser.ms.toFixed(0)} ms CPU`);
for (const [name, make] of engines) {
  const r = cpu(userRun(make));
  console.log(`   ${name} ${r.ms.toFixed(0)} ms CPU, same matches as RegExp: ${r.out === jsUser.out}`);
}

// 3. Syntax accepted differently by the two RE2s.
if (NativeRE2) {
  const probes = [
    ...defaultPatterns,
    ...USER.map((p) => [p, 'iu']),
    ...[
      '\\u00a0',
      '\\u{1F600}',
      '(?<name>a)\\k<name>',
      '(?<=a)b',
      '(?!a)b',
      '\\p{Letter}',
      '\\p{Script=Greek}',
      '\\p{sc=Latin}',
      '\\cJ',
      '\\z',
      '\\A',
      '(?i)a',
      '\\Qa.b\\E',
      '[[:alpha:]]',
      'a{,3}',
      'a{2,}',
      '\\/',
      '\\e',
      '\\-',
      '[\\b]',
      '\\0',
      '\\x41',
      'a++',
      '(?:a|b)*?',
      '\\bé\\b',
      '\\P{L}',
    ].map((p) => [p, 'iu']),
  ];
  const differ = probes.filter(([s, f]) => !onRE2(NativeRE2)(s, f) !== !onRE2(LinearRegExp)(s, f));
  console.log(
    `3. of ${probes.length} patterns, accepted by one RE2 and not the other: ${differ.length ? differ.map(([s]) => JSON.stringify(s)).join(' ') : 'none'}`,
  );
}

// 4. The catastrophic pattern.
for (const [name, make] of engines) {
  for (const input of [`${'a'.repeat(40)}!`, `${'a'.repeat(40000)}!`]) {
    const re = make('^(a+)+$', 'iu');
    const r = cpu(() => re.test(input));
    console.log(`4. ${name}: ^(a+)+$ on ${input.length} chars: ${r.out}, ${r.ms.toFixed(2)} ms CPU`);
  }
}
