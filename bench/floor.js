// The text engine's floor: the least work any rule engine must do on the same text. One combined
// regular expression tested against every line, nothing else. Shared by bench/run.js and
// bench/text-floor.js. Two of them: `phraseRegex`, the set's literal phrases (issue 16's floor),
// and `combinedRegex`, every phrase and pattern joined; joined, the patterns lose the anchors and
// literal prefixes V8 uses to skip work, so that one runs slower than the engine itself
// (1.5 MB/CPU-s against ~100 for the phrases alone, aeb-dev, Dec 2026).
'use strict';

/** A literal as a regular expression that matches it and nothing else. */
const escapeLiteral = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every block-level phrase and pattern of the set as one case-insensitive alternation. */
function combinedRegex(set) {
  const parts = [];
  for (const def of set.defs) {
    if (def.enabled === false) continue;
    if (def.kind === 'phrase') parts.push(`^(?:${def.phrases.map(escapeLiteral).join('|')})$`);
    else if (def.kind === 'pattern') parts.push([].concat(def.pattern).join('|'));
  }
  // A pattern written for other flags may not compile under "iu": leave it out, the floor only
  // needs to be a fair amount of regular-expression work.
  const usable = parts.filter((p) => {
    try {
      new RegExp(p, 'iu');
      return true;
    } catch {
      return false;
    }
  });
  return { re: new RegExp(usable.map((p) => `(?:${p})`).join('|'), 'iu'), alternatives: usable.length };
}

/**
 * The set's literal phrases, each anchored to the whole line, as one case-insensitive alternation.
 * Flag "i" without "u": with the phrases of 29 languages, "iu" made V8 run this regex at 2.6
 * MB/CPU-s against 34.5 with "i" alone, for the same hits on aeb-dev (2,839 lines; literals need no
 * Unicode mode). The floor is the cheapest regex pass, so it takes the cheaper flags.
 */
function phraseRegex(set) {
  const phrases = set.defs.filter((d) => d.enabled !== false && d.kind === 'phrase').flatMap((d) => d.phrases);
  return { re: new RegExp(`^(?:${phrases.map(escapeLiteral).join('|')})$`, 'i'), phrases: phrases.length };
}

function floorPass(texts, re) {
  let hits = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const block = line.trim();
      if (block && re.test(block)) hits++;
    }
  }
  return hits;
}

module.exports = { combinedRegex, phraseRegex, floorPass };
