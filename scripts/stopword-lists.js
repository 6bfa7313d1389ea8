#!/usr/bin/env node
/**
 * Part of `npm run build`: writes dist/engine/stopword-lists.json, the stopword lists of the
 * languages the engine knows (src/engine/lang.ts, packagedStopwordLists) as `stopword` and
 * `stopwords-iso` give them. The engine reads that file instead of the two packages, which hold
 * every language's lists and took a tenth of a `declutter clean` of a small file to load.
 *
 *   node scripts/stopword-lists.js [OUT_FILE]   (default dist/engine/stopword-lists.json)
 */
'use strict';
const { writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

/** Writes `lists` (packagedStopwordLists' answer) to `outFile`. */
function writeStopwordLists(outFile, lists) {
  writeFileSync(outFile, JSON.stringify(lists));
}

module.exports = { writeStopwordLists };

if (require.main === module) {
  const dist = join(__dirname, '..', 'dist');
  const { packagedStopwordLists } = require(join(dist, 'engine', 'lang.js'));
  writeStopwordLists(resolve(process.argv[2] ?? join(dist, 'engine', 'stopword-lists.json')), packagedStopwordLists());
}
