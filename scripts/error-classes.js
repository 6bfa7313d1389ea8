// What scripts/text-errors.js and scripts/html-errors.js share: how much of a block the gold holds,
// the tally of loss by class, and the printing of the classes and of the worst pages. Each script
// keeps its own classes and its own way of spreading a page's loss over its blocks.
'use strict';
const { resolve } = require('node:path');
const { shingles, tokens } = require(resolve(__dirname, '..', 'dist', 'scoring', 'metrics'));

/**
 * The gold's share of a block of `words` (tokens(text)): by word 4-grams (score.mjs's shingles)
 * when it has four words or more, else 1 when its words stand together in the gold (`goldLine`:
 * the gold's tokens joined by spaces, with a space at each end), else 0.
 */
function goldShare(text, words, goldShingles, goldLine) {
  if (words.length >= 4) {
    let inGold = 0,
      all = 0;
    for (const [k, c] of shingles(text)) {
      all += c;
      if (goldShingles.has(k)) inGold += c;
    }
    return inGold / all;
  }
  return words.length && goldLine.includes(' ' + words.join(' ') + ' ') ? 1 : 0;
}

/** The gold's tokens as goldShare's `goldLine`. */
const goldLineOf = (gold) => ' ' + tokens(gold).join(' ') + ' ';

/** Loss by class: `add(k, v, page)` sums v under k and counts the pages it costs more than 0.002. */
function lossTally() {
  const classes = {};
  return {
    classes,
    add(k, v, page) {
      (classes[k] ??= { loss: 0, pages: new Set() }).loss += v;
      if (v > 0.002) classes[k].pages.add(page);
    },
  };
}

/** The classes, costliest first, as mean loss per page (of `pageCount`), pages touched and name; those under `minMean` are left out. */
function printClasses(classes, pageCount, minMean = -Infinity) {
  for (const [k, v] of Object.entries(classes).sort((a, b) => b[1].loss - a[1].loss))
    if (v.loss / pageCount >= minMean) console.log((v.loss / pageCount).toFixed(4), String(v.pages.size).padStart(3), k);
}

/** The `count` worst pages ({id, p, r, cls}) by P×R, each with the classes that cost it more than 0.01; `mark(page)` adds a column. */
function printWorstPages(pages, count, mark) {
  for (const p of pages.sort((a, b) => a.p * a.r - b.p * b.r).slice(0, count)) {
    const costs = Object.fromEntries(
      Object.entries(p.cls)
        .filter(([, v]) => v > 0.01)
        .map(([k, v]) => [k, +v.toFixed(3)]),
    );
    const columns = [p.id, 'P', p.p.toFixed(2), 'R', p.r.toFixed(2)];
    if (mark) columns.push(mark(p));
    console.log(...columns, JSON.stringify(costs));
  }
}

module.exports = { goldShare, goldLineOf, lossTally, printClasses, printWorstPages };
