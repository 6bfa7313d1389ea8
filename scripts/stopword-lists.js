#!/usr/bin/env node
/**
 * Part of `npm run build`: writes dist/engine/stopword-words.json, the stopwords of the languages
 * the engine knows as the engine uses them (src/engine/lang.ts, stopwordExtract): each language's
 * list from `stopword` or `stopwords-iso` reduced to the words the engine can hit, and the index
 * of the Latin languages' words that the stopword count reads. The engine reads that file instead
 * of the two packages (which hold every language's lists) and of making the words and the index
 * again at every start: together a fifth of a `declutter clean` of a small file. It uses the file
 * only while the code that made it is the code running (the extract's `recipe`).
 *
 *   node scripts/stopword-lists.js [OUT_FILE]   (default dist/engine/stopword-words.json)
 */
'use strict';
const { rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

/** Writes `extract` (stopwordExtract's answer) to `outFile`. */
function writeStopwordExtract(outFile, extract) {
  writeFileSync(outFile, JSON.stringify(extract));
}

module.exports = { writeStopwordExtract };

if (require.main === module) {
  const dist = join(__dirname, '..', 'dist');
  const { stopwordExtract } = require(join(dist, 'engine', 'lang.js'));
  // The raw lists an earlier build wrote there are read by nothing now.
  rmSync(join(dist, 'engine', 'stopword-lists.json'), { force: true });
  writeStopwordExtract(resolve(process.argv[2] ?? join(dist, 'engine', 'stopword-words.json')), stopwordExtract());
}
