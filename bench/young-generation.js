#!/usr/bin/env node
// Where V8 allocates a page's DOM and blocks: the share of each kind of object of a freshly parsed
// page that is already in the old generation, after the engine has cleaned the dev pages three
// times (long enough for V8's allocation-site pretenuring to decide).
//
//   node --allow-natives-syntax bench/young-generation.js [PAGES=60]
//
// All should be near 0%. A kind near 100% is made at an allocation site V8 pretenures (an object or
// array literal whose objects mostly outlive a scavenge): dead in the old generation, those objects
// keep the young nodes they point at alive at every scavenge until the next full collection, and
// each page's tree is copied and promoted. Until issue 16 children arrays, blocks and pieces were
// born old, and the collector took a quarter of cleanHtml's time (see NO_NODES in
// src/engine/html/linear-parser.ts). Needs a build (`npm run build`).
'use strict';
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

let inYoung;
try {
  inYoung = new Function('o', 'return %InYoungGeneration(o)');
} catch {
  console.error('run with node --allow-natives-syntax');
  process.exit(2);
}

const PAGES = Number(process.argv[2] ?? 60);
const root = resolve(__dirname, '..');
const engine = require(resolve(root, 'dist', 'engine'));
const { parseHtml } = require(resolve(root, 'dist', 'engine', 'html', 'parse'));
const { extractBlocks } = require(resolve(root, 'dist', 'engine', 'html', 'blocks'));
const { readRuleSetFile } = require(resolve(root, 'dist', 'rulesets', 'load'));
const rules = engine.compileRuleSet(readRuleSetFile(resolve(root, 'rules', 'default.yaml')));
const dev = resolve(root, '..', 'shared', 'data', 'dev');
const docs = ['aeb-dev', 'readability-dev'].flatMap((set) =>
  readFileSync(resolve(dev, `${set}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l).html),
);
for (let pass = 0; pass < 3; pass++) for (const d of docs) engine.cleanHtml(d, rules);

const counts = new Map();
const count = (kind, o) => {
  const c = counts.get(kind) ?? { all: 0, old: 0 };
  c.all++;
  if (!inYoung(o)) c.old++;
  counts.set(kind, c);
};
for (const html of docs.slice(0, PAGES)) {
  const dom = parseHtml(html);
  const page = extractBlocks(html, dom, []);
  const stack = [dom];
  while (stack.length) {
    const n = stack.pop();
    count(`node ${n.type}`, n);
    if (n.attribs) count('attribs', n.attribs);
    if (n.children) {
      count('children', n.children);
      for (const c of n.children) stack.push(c);
    }
  }
  for (const b of page.blocks) count('block', b);
  for (const h of page.html) {
    count('html block', h);
    count('pieces', h.pieces);
    for (const p of h.pieces) count('piece', p);
  }
}
for (const [kind, c] of counts) console.log(`${kind.padEnd(14)} ${String(c.all).padStart(7)}  born old ${((c.old / c.all) * 100).toFixed(1)}%`);
