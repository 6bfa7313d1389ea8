#!/usr/bin/env node
// CPU time of one stage of the text engine (inline or block rules) over the aeb-dev and
// readability-dev texts, for before/after figures of a change to that stage alone, which the
// whole engine's figure (bench/compare-builds.js) drowns in the noise of a loaded machine:
//
//   node bench/stage-cpu.js ROOT [inline|block] [SECONDS=3]
//
// ROOT is a checkout with dist/ built. Prints CPU milliseconds a pass; run two builds in turn a
// few times. The documents are prepared (segmented; for the block stage, the inline rules applied
// and the language and topic worked out, which rules ask for lazily) outside the timed part.
'use strict';
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

const [root = resolve(__dirname, '..'), stage = 'inline', secondsArg = '3'] = process.argv.slice(2);
const dist = (p) => require(resolve(root, 'dist', p));
const { defaultRuleSet } = dist('index.js');
const { applyInlineRules, applyBlockRules } = dist('engine/clean.js');
const { DocContext } = dist('engine/context.js');
const { segment } = dist('engine/segment.js');

const dev = resolve(__dirname, '..', '..', 'shared', 'data', 'dev');
const texts = ['aeb-dev', 'readability-dev'].flatMap((set) =>
  readFileSync(resolve(dev, `${set}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l).text)
    .filter(Boolean),
);
const rules = defaultRuleSet();
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
};

function prepare() {
  return texts.map((t) => {
    const doc = new DocContext(t, segment(t));
    doc.requirements = rules.requirements;
    if (stage === 'block') {
      applyInlineRules(doc, rules);
      void doc.lang;
      void doc.topic;
    }
    return doc;
  });
}
const run = stage === 'block' ? applyBlockRules : applyInlineRules;

for (let i = 0; i < 3; i++) for (const doc of prepare()) run(doc, rules);
let spent = 0;
let passes = 0;
const start = cpuMs();
while (cpuMs() - start < Number(secondsArg) * 1000) {
  const docs = prepare();
  const t = cpuMs();
  for (const doc of docs) run(doc, rules);
  spent += cpuMs() - t;
  passes++;
}
console.log(`${stage} stage: ${(spent / passes).toFixed(2)} CPU-ms a pass (${passes} passes, ${texts.length} texts)`);
