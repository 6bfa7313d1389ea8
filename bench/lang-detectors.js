#!/usr/bin/env node
// Language detectors compared, for issue 17: tinyld (the one the engine uses), eld, franc-min,
// cld3-asm, and the stopword-hit method the engine used before; and the engine's detectLanguage
// as built (script shortcut + tinyld on a bounded prose sample).
//  1. accuracy on test/fixtures/language-sentences.json (short sentences and mixed ones with
//     English names in them, 29 languages), and on pairs of short sentences;
//  2. the dev sets' pages (no gold language): what each detector says on the engine's prose
//     sample, and how often it agrees with the others' majority;
//  3. CPU time per document on the same samples (process.cpuUsage, detectors interleaved, one
//     process) and on whole documents;
//  4. start-up: a fresh process that loads the detector and detects one sentence (wall and CPU).
// A benchmark, not a test. `npm run build && node bench/lang-detectors.js`. Quote the load average.
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { loadDocs, loadAverage } = require('./lib');

const REPO = resolve(__dirname, '..');
const SENTENCES = require('../test/fixtures/language-sentences.json').sentences;
const DEV = ['aeb-dev', 'readability-dev'].map((s) => resolve(REPO, '..', 'shared', 'data', 'dev', `${s}.jsonl`));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** Codes that name the same language as ours (BCP 47 primary tags; Norwegian as nb). */
const ALIAS = { no: 'nb', iw: 'he', in: 'id', zsm: 'ms' };
/** franc's ISO 639-3 codes for the languages the sentences cover, and their neighbours. */
const ISO3 = {
  eng: 'en',
  deu: 'de',
  fra: 'fr',
  spa: 'es',
  ita: 'it',
  por: 'pt',
  nld: 'nl',
  pol: 'pl',
  rus: 'ru',
  ukr: 'uk',
  ces: 'cs',
  swe: 'sv',
  dan: 'da',
  nob: 'nb',
  nno: 'nn',
  fin: 'fi',
  hun: 'hu',
  ron: 'ro',
  ell: 'el',
  tur: 'tr',
  arb: 'ar',
  pes: 'fa',
  heb: 'he',
  hin: 'hi',
  ind: 'id',
  vie: 'vi',
  cmn: 'zh',
  jpn: 'ja',
  kor: 'ko',
  tha: 'th',
  slk: 'sk',
  cat: 'ca',
  hrv: 'hr',
  slv: 'sl',
  bos: 'bs',
  srp: 'sr',
  bul: 'bg',
  bel: 'be',
  zlm: 'ms',
  azj: 'az',
  uzn: 'uz',
  kaz: 'kk',
  urd: 'ur',
  mar: 'mr',
  nep: 'ne',
  glg: 'gl',
  afr: 'af',
  lit: 'lt',
  lav: 'lv',
  est: 'et',
  sco: 'sco',
  und: 'und',
};
const norm = (code) => {
  if (!code) return 'und';
  const c = code.split('-')[0].toLowerCase();
  return ALIAS[c] ?? c;
};

async function detectors() {
  const dist = (p) => require(resolve(REPO, 'dist', p));
  const { segment } = dist('engine/segment');
  const engine = dist('engine/lang');
  const stopwordMethod = require('./lang-stopword-method');
  const tinyld = require('tinyld');
  const { eld } = await import('eld');
  await eld.load('small');
  const { franc } = await import('franc-min');
  const { loadModule } = require('cld3-asm');
  const cld = (await loadModule()).create(0, 4096);
  return {
    engine: (t) => engine.detectLanguage(segment(t)),
    stopwords: (t) => stopwordMethod.detectLanguage(segment(t)),
    tinyld: (t) => norm(tinyld.detect(t)),
    eld: (t) => norm(eld.detect(t).language),
    'franc-min': (t) => norm(ISO3[franc(t, { minLength: 3 })] ?? franc(t)),
    'cld3-asm': (t) => {
      const r = cld.findLanguage(t);
      return r.language === 'und' ? 'und' : norm(r.language);
    },
  };
}

/** Start-up of each detector in a fresh process: require/import, database load, one detection. */
const STARTUP = {
  engine: `require(${JSON.stringify(resolve(REPO, 'dist/engine/lang'))}).detectLanguage([{rest:s,text:s}])`,
  stopwords: `require(${JSON.stringify(resolve(__dirname, 'lang-stopword-method'))}).detectLanguage([{rest:s,text:s}])`,
  tinyld: `require('tinyld').detect(s)`,
  eld: `const {eld}=await import('eld'); await eld.load('small'); eld.detect(s)`,
  'franc-min': `const {franc}=await import('franc-min'); franc(s)`,
  'cld3-asm': `const m=await require('cld3-asm').loadModule(); m.create(0,4096).findLanguage(s)`,
};
function startup(name) {
  const code = `(async()=>{const s='Der Gemeinderat stimmt nächste Woche über den neuen Haushalt ab.';const t0=process.hrtime.bigint();const c0=process.cpuUsage();${STARTUP[name]};const c=process.cpuUsage(c0);console.log(JSON.stringify({wall:Number(process.hrtime.bigint()-t0)/1e6,cpu:(c.user+c.system)/1e3,rss:process.memoryUsage().rss/1e6}))})()`;
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, ['-e', code], { cwd: REPO, encoding: 'utf8' })));
  runs.sort((a, b) => a.cpu - b.cpu);
  return runs[1];
}

/** The engine's prose sample of a document, as its detector sees it. */
function sampleOf(text) {
  const { segment } = require(resolve(REPO, 'dist/engine/segment'));
  const { proseSample } = require(resolve(REPO, 'dist/engine/lang'));
  return proseSample(segment(text));
}

function cpuMs(fn) {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e3;
}

const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) + '%' : '-');

async function main() {
  const det = await detectors();
  const names = Object.keys(det);
  console.log(`load average: ${loadAverage()}\n`);

  // 1. Accuracy on the written sentences.
  const cases = [];
  for (const [lang, s] of Object.entries(SENTENCES)) {
    for (const t of s.short) cases.push({ lang, kind: 'short', text: t });
    for (const t of s.mixed) cases.push({ lang, kind: 'mixed', text: t });
    cases.push({ lang, kind: 'pair', text: `${s.short[0]} ${s.short[1]}` });
  }
  console.log(`1. Accuracy on ${cases.length} written sentences, ${Object.keys(SENTENCES).length} languages (nb and no count as one)`);
  console.log(['detector', 'short', 'mixed', 'pair', 'all', 'wrong (lang→said)'].join('\t'));
  for (const n of names) {
    const right = { short: [0, 0], mixed: [0, 0], pair: [0, 0] };
    const wrong = [];
    for (const c of cases) {
      const got = det[n](c.text);
      right[c.kind][1]++;
      if (got === c.lang) right[c.kind][0]++;
      else wrong.push(`${c.lang}→${got}`);
    }
    const all = Object.values(right).reduce((a, [r, t]) => [a[0] + r, a[1] + t], [0, 0]);
    const shown = [...new Set(wrong)].slice(0, 12).join(' ');
    console.log([n, ...Object.values(right).map(([r, t]) => pct(r, t)), pct(all[0], all[1]), shown].join('\t'));
  }

  // 2. The dev sets' pages.
  const docs = DEV.flatMap((p) => loadDocs(p)).filter((d) => d.text);
  const samples = docs.map((d) => sampleOf(d.text));
  console.log(
    `\n2. Dev pages (${docs.length}, aeb-dev + readability-dev text), on the engine's prose sample (mean ${(samples.reduce((a, s) => a + s.length, 0) / samples.length / 1000).toFixed(1)} K chars)`,
  );
  const said = {};
  for (const n of names) said[n] = samples.map((s) => det[n](s));
  const majority = samples.map((_, i) => {
    const votes = new Map();
    for (const n of names) if (n !== 'engine') votes.set(said[n][i], (votes.get(said[n][i]) ?? 0) + 1);
    return [...votes].sort((a, b) => b[1] - a[1])[0][0];
  });
  console.log(['detector', 'agrees with majority', 'languages said (count)'].join('\t'));
  for (const n of names) {
    const counts = new Map();
    let agree = 0;
    said[n].forEach((l, i) => {
      counts.set(l, (counts.get(l) ?? 0) + 1);
      if (l === majority[i]) agree++;
    });
    const dist = [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([l, c]) => `${l}:${c}`)
      .join(' ');
    console.log([n, pct(agree, docs.length), dist].join('\t'));
  }

  // 3. CPU per document, interleaved rounds; the median round.
  console.log(`\n3. CPU time per document (median of ${ROUNDS} interleaved rounds)`);
  console.log(['detector', 'sample ms/doc', 'whole text ms/doc', 'sentence µs'].join('\t'));
  const texts = docs.map((d) => d.text);
  const sentences = cases.map((c) => c.text);
  const times = Object.fromEntries(names.map((n) => [n, { sample: [], whole: [], sentence: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const n of names) {
      const f = det[n];
      times[n].sample.push(cpuMs(() => samples.forEach((s) => f(s))) / samples.length);
      // The engine samples by itself: give it the whole text, like the others.
      times[n].whole.push(cpuMs(() => texts.forEach((t) => f(t))) / texts.length);
      times[n].sentence.push((1000 * cpuMs(() => sentences.forEach((s) => f(s)))) / sentences.length);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const n of names)
    console.log([n, median(times[n].sample).toFixed(3), median(times[n].whole).toFixed(3), median(times[n].sentence).toFixed(1)].join('\t'));

  // 4. Start-up and size.
  console.log('\n4. Start-up in a fresh process (load + one detection; median of 3) and size on disk');
  console.log(['detector', 'wall ms', 'CPU ms', 'RSS MB', 'module format'].join('\t'));
  const format = {
    engine: 'CJS (tinyld)',
    stopwords: 'CJS',
    tinyld: 'CJS + ESM',
    eld: 'ESM only, async load()',
    'franc-min': 'ESM only',
    'cld3-asm': 'CJS, async wasm init',
  };
  for (const n of names) {
    const s = startup(n);
    console.log([n, s.wall.toFixed(0), s.cpu.toFixed(0), s.rss.toFixed(0), format[n]].join('\t'));
  }
  const size = (p) =>
    execFileSync('du', ['-sk', ...p.map((x) => resolve(REPO, 'node_modules', x))], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => Number(l.split('\t')[0]))
      .reduce((a, b) => a + b, 0);
  console.log(
    `sizes (KB on disk): tinyld normal build ${size(['tinyld/dist/tinyld.normal.node.js'])}; eld small database + code ${size(['eld/src/ngrams/small.js', 'eld/src/languageDetector.js'])}; franc-min ${size(['franc-min', 'trigram-utils', 'n-gram', 'collapse-white-space'])}; cld3-asm ${size(['cld3-asm'])}; stopword ${size(['stopword'])}`,
  );
  void readFileSync;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
