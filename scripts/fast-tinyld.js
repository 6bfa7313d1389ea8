#!/usr/bin/env node
/**
 * Part of `npm run build`: writes dist/engine/tinyld/, a copy of the installed tinyld (the
 * language detector, src/engine/lang.ts) that loads in a small part of the time and answers the same.
 *
 * Loading tinyld costs about 300 ms of CPU, which a `declutter clean` of a short text (the
 * stopword count leaves it undecided) pays before anything else: its 537 KB n-gram table is an
 * object literal, which V8 builds far slower than JSON.parse reads the same data, and at load it
 * decodes every one of its 18,758 n-gram entries, of which a detection reads a few dozen. The copy
 * keeps the table as two files of sorted lines, looks up only the grams a detection asks for, and
 * decodes an entry the first time it is asked for, to the same object the load would have made.
 * (Reading the whole table with JSON.parse, as the copy did before, still cost a CLI run on a
 * short text about 50 ms of its 400.) Besides that, only the scoring of a word (SCORE_WORD below) and the making of grams (GRAMS) change: their answers stay the same.
 *
 * The edit is made on the exact bundle it was written for (tinyld 1.3.4's, checked by its
 * SHA-256); any other leaves nothing written, and the engine loads tinyld itself. The test
 * (test/engine/fast-tinyld.test.ts) compares the copy's answers with tinyld's.
 *
 *   node scripts/fast-tinyld.js [OUT_DIR]   (default dist/engine/tinyld)
 */
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const BUNDLE = require.resolve('tinyld');
const KNOWN_BUNDLE_SHA256 = '7c146e7c15d9f0ccec588b23e3479465ed7b68d2caf2c148b0c56f518231c6e7';

/** The table: `var X={...}` up to the code after it. */
const TABLE_START = 'var X={';
const TABLE_END = ';var a0=';
/** The decoding of every entry at load: `var v=X,r0={...},B0=...` up to the next function. */
const DECODE_START = 'var v=X,r0=';
const DECODE_END = ';function s0(';

/**
 * The table, read by lookup until a process has asked it for many grams: each of its two parts
 * is also a file of lines `gram<TAB>JSON value`, sorted by gram, searched by halving (the line
 * that holds a position is found by looking back for its line end), so that a short run makes
 * objects of only the grams a detection asks for. Parsing the whole table as JSON was most of a
 * `declutter clean` of a short text whose language the stopword count leaves to tinyld (about
 * 50 ms of its 400). A process that goes on detecting (a worker, a batch) parses the table after
 * FULL_AFTER grams (a detection of 1,000 characters asks for 1,000 to 6,000), and from then on a
 * gram costs a Map lookup (of the table's parts made Maps: quicker than a property of an object
 * of 18,758 keys). A lookup by halving is several times slower.
 * Grams asked for before that are kept, found or not, so a text's repeated grams are searched once.
 */
const TABLE_LOOKUP =
  'var X=(()=>{const fs=require("fs"),path=require("path"),FULL_AFTER=10000;' +
  'const read=(name)=>fs.readFileSync(path.join(__dirname,name),"utf8");' +
  'const lines=(s)=>{const memo=new Map();const search=(k)=>{let lo=0,hi=s.length;' +
  'while(lo<hi){const mid=(lo+hi)>>>1,start=s.lastIndexOf("\\n",mid-1)+1,tab=s.indexOf("\\t",start),key=s.slice(start,tab);' +
  'if(key===k)return JSON.parse(s.slice(tab+1,s.indexOf("\\n",tab)));' +
  'if(key<k)lo=s.indexOf("\\n",tab)+1;else hi=start}return null};' +
  'return (k)=>{let r=memo.get(k);if(r===undefined){r=search(k);memo.set(k,r)}return r===null?undefined:r}};' +
  'let asked=0,full=null;const uq=read("uniques.txt");const parts={uniques:lines(uq),multiples:lines(read("multiples.txt"))};' +
  'const whole=()=>{const t=JSON.parse(read("table.json"));return{uniques:new Map(Object.entries(t.uniques)),multiples:new Map(Object.entries(t.multiples))}};' +
  'const part=(name)=>(k)=>{if(typeof k!=="string")return undefined;' +
  'if(full===null&&++asked>FULL_AFTER)full=whole();' +
  'if(full===null)return parts[name](k);return full[name].get(k)};' +
  'return{uniques:part("uniques"),multiples:part("multiples"),loadAll:()=>{full??=whole()},uniquesText:()=>uq}})()';
/**
 * tinyld's scoring of one word (`t0`), as it is: per gram a Set of the gram's languages, a loop
 * over every language the model knows, a message string per hit for its verbose mode whether
 * verbose or not, a Unicode normalisation of every gram, and a sort of all the model's languages
 * to keep the best eight. The copy's own `t0` adds the same numbers to the same languages in the
 * same order (so the same sums), in an array indexed by language. What a gram adds is worked out
 * once per gram and kept (T0_GRAMS: language index, then the table's value times the normalised
 * gram's length / 4, the same product tinyld makes each time): the normalisation (only for a gram
 * with a character beyond ASCII, which NFD and the removal of combining marks leave as it is
 * otherwise), the lookup through the table's proxy and the walk over its entry happen on the
 * gram's first sight only. The best eight are picked in one pass, ordered as tinyld's stable sort
 * orders them (higher sum first, then the model's order). With `only` or `verbose` set, the
 * original runs. Each of these was most of a detection in turn: the per-gram work took the
 * detector's part of a text's cleaning down by about two thirds, the kept grams and the pick of
 * eight took what was left from about 230 to 110 us a page (detectTextLanguage on the prose samples
 * of the 221 dev pages, 5 passes, load 9). A word's answer is kept too (T0_WORDS, 5,000 words at
 * most, forgotten all at once when full): a page's words repeat within its sample, and a language's
 * function words from page to page.
 */
const SCORE_WORD_START = 'function t0(a,e,n){';
const SCORE_WORD_END = 'function S(';
const SCORE_WORD =
  // T0_GRAMS forgets everything when full, so that a process reading many languages keeps a bounded table
  // (the dev sets' 221 pages fill 13,327 entries; 50,000 hold a few MB).
  'var T0_INDEX,T0_CODES,T0_GRAMS=new Map(),T0_GRAMS_MAX=50000,T0_NONE=[];' +
  'function t0_gram(i,e){let l=i;for(let c=0;c<i.length;c++)if(i.charCodeAt(c)>=128){l=R(i);break}' +
  'const D=e.multiples[l];if(!D)return T0_NONE;const q=[];' +
  'for(const L of Object.keys(D)){const x=T0_INDEX.get(L);if(x!==undefined)q.push(x,D[L]*l.length/4)}return q}' +
  // A word's answer is kept (T0_WORDS): a page's words repeat, and so do a language's function words
  // from page to page. The answer (eight objects S only reads) is the same whatever was asked before.
  'var T0_WORDS=new Map(),T0_WORDS_MAX=5000;' +
  'function t0(a,e,n){if(n.verbose||n.only.length>0||e!==r0)return t0_original(a,e,n);' +
  'let w=T0_WORDS.get(a);if(w===undefined){w=t0_word(a,e);if(T0_WORDS.size>=T0_WORDS_MAX)T0_WORDS.clear();T0_WORDS.set(a,w)}return w}' +
  'function t0_word(a,e){' +
  'T0_INDEX??=new Map(P.map((L,x)=>[L,x]));T0_CODES??=P.map(L=>N(L));const sc=new Float64Array(P.length);' +
  'for(const size of h)for(const i of p(a,size)){let q=T0_GRAMS.get(i);' +
  'if(q===undefined){q=t0_gram(i,e);if(T0_GRAMS.size>=T0_GRAMS_MAX)T0_GRAMS.clear();T0_GRAMS.set(i,q)}' +
  'for(let m=0;m<q.length;m+=2){const x=q[m];sc[x]=(sc[x]||0)+q[m+1]}}' +
  // The best eight, in the order of tinyld's stable sort: an equal sum goes after those already in.
  'const top=[],topScore=[];let s=0;' +
  'for(let x=0;x<sc.length;x++){const v=sc[x];if(v>s)s=v;if(top.length===8&&!(v>topScore[7]))continue;' +
  'let at=top.length<8?top.length:7;while(at>0&&topScore[at-1]<v){top[at]=top[at-1];topScore[at]=topScore[at-1];at--}top[at]=x;topScore[at]=v}' +
  's=s||1;return top.map((x,m)=>({lang:T0_CODES[x],accuracy:1-k((s-topScore[m])/s),score:k(topScore[m])}))}';

/**
 * tinyld's n-grams of a text (`p`) made a string of each window by pushing its characters into an
 * array and joining them, dropping the second of two spaces and then the shortened window. The
 * copy's keeps a window as the slice it is, and drops it if it holds two spaces: the same grams.
 */
const GRAMS_START = 'function p(a,e,n=!0){';
const GRAMS_END = 'function o0(';
const GRAMS =
  'function p(a,e,n=!0){let o=[],t=n?" ".repeat(e-1)+a+" ".repeat(e-1):a;' +
  'for(let B=0;B<t.length-(e-1);B++){const O=t.slice(B,B+e);O.indexOf("  ")<0&&O.trim().length>0&&o.push(O)}return o}';

/**
 * tinyld's search for a unique gram (`o0`: the first gram of a chunk, by size and then position,
 * that only one language has) made every gram of every size of the chunk a string and asked the
 * table for each: on the dev texts the stopword count leaves open, nearly all of them are in no
 * language's uniques, and these lookups were most of the detector's time (2.4% of the text
 * engine's CPU). The copy's `o0` reads the same windows in place and hashes each (FNV-1a over its
 * code units) into a bitmap of the uniques' hashes (2^20 bits, made once from the table's keys
 * on the first search, about a millisecond); only a window whose bit is set is made a string,
 * filtered and asked as before (a set bit is a unique gram or a collision, about 2% of windows).
 * A window whose bit is clear is no key: the same first hit, in the same order. With `only` or
 * `verbose` set, the original runs.
 */
const UNIQUE_SEARCH =
  'var O0_BITS=null;' +
  'function o0_bits(){const b=new Int32Array(1<<15),s=X.uniquesText();let at=0;' +
  'while(at<s.length){const tab=s.indexOf("\\t",at);let f=-2128831035;' +
  'for(let i=at;i<tab;i++)f=Math.imul(f^s.charCodeAt(i),16777619);' +
  'const x=f>>>12;b[x>>>5]|=1<<(x&31);at=s.indexOf("\\n",tab)+1;if(at===0)break}return b}' +
  'function o0(a,e,n,o){if(o.verbose||o.only.length>0||n!==B0||e!==r0)return o0_original(a,e,n,o);' +
  'const b=O0_BITS??=o0_bits(),L=a.length;' +
  'for(const t of h){const pad=t-1,end=L+pad;let padded=null;' +
  'for(let B=0;B<=end-1;B++){let f=-2128831035;' +
  'for(let q=B;q<B+t;q++){const c=q<pad||q>=L+pad?32:a.charCodeAt(q-pad);f=Math.imul(f^c,16777619)}' +
  'const x=f>>>12;if((b[x>>>5]&(1<<(x&31)))===0)continue;' +
  'padded??=" ".repeat(pad)+a+" ".repeat(pad);const r=padded.slice(B,B+t);' +
  'if(r.indexOf("  ")<0&&r.trim().length>0&&n.has(r))return N(e.uniques[r])}}return""}';

/** The copy's one addition to tinyld's exports: `loadTable()` parses the whole table now (a worker does, before its first page's time budget starts). */
const LOAD_TABLE_EXPORT = '\nmodule.exports.loadTable=X.loadAll;\n';

/** The table's parts and the files they are written to. */
const PARTS = { uniques: 'uniques.txt', multiples: 'multiples.txt' };

/**
 * The same `r0` as tinyld's, decoded on first read (and `B0`, the unique grams, asked of the table): `uniques[gram]` is the language of a
 * base-36 index into C; `multiples[gram]` the object of language → score that tinyld's own
 * decoding makes from pairs of two base-36 digits. A key the table does not hold reads what it
 * reads on tinyld's object (an inherited property, or undefined).
 */
const LAZY_DECODE =
  'var v=X,EMPTY={},r0={' +
  'uniques:new Proxy({},{get:(t,k)=>{const r=v.uniques(k);return r===undefined?EMPTY[k]:C[parseInt(r.toString(),36)]}}),' +
  'multiples:(()=>{const memo=new Map();return new Proxy({},{get:(t,k)=>{' +
  'const r=v.multiples(k);if(r===undefined)return EMPTY[k];let e=memo.get(k);' +
  'if(e===undefined){e=Object.fromEntries(r.match(/(.{1,4})/g)?.map(n=>{let[o,s]=n.match(/(.{1,2})/g);return[C[parseInt(o,36)],parseInt(s,36)]})||[]);memo.set(k,e)}' +
  'return e}})})()' +
  // B0 answers has(gram) for the table's own grams, as the Set of its keys did.
  '},B0={has:(k)=>v.uniques(k)!==undefined}';

/** A part of the table as sorted lines of gram and JSON value; null when a gram or value would break a line. */
function partLines(part) {
  const keys = Object.keys(part).sort();
  let out = '';
  for (const k of keys) {
    const value = JSON.stringify(part[k]);
    if (/[\t\n]/.test(k) || value.includes('\n')) return null;
    out += `${k}\t${value}\n`;
  }
  return out;
}

/** Writes the copy into `outDir` (tinyld.js and the table's parts); returns why not when it cannot. */
function writeFastTinyld(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  const source = readFileSync(BUNDLE, 'utf8');
  const sha = createHash('sha256').update(source).digest('hex');
  if (sha !== KNOWN_BUNDLE_SHA256) return `${BUNDLE} is not the bundle this edit was written for (SHA-256 ${sha})`;
  const tableStart = source.indexOf(TABLE_START);
  const tableEnd = source.indexOf(TABLE_END, tableStart);
  const decodeStart = source.indexOf(DECODE_START, tableEnd);
  const decodeEnd = source.indexOf(DECODE_END, decodeStart);
  const gramsStart = source.indexOf(GRAMS_START, tableEnd);
  const gramsEnd = source.indexOf(GRAMS_END, gramsStart);
  const scoreStart = source.indexOf(SCORE_WORD_START, tableEnd);
  const scoreEnd = source.indexOf(SCORE_WORD_END, scoreStart);
  if (
    tableStart < 0 ||
    tableEnd < 0 ||
    decodeStart < 0 ||
    decodeEnd < 0 ||
    scoreStart < 0 ||
    scoreEnd < 0 ||
    scoreEnd > decodeStart ||
    gramsStart < 0 ||
    gramsEnd < 0 ||
    gramsEnd > scoreStart
  )
    return 'the bundle does not have the expected layout';
  // The literal is data only (strings and numbers): evaluated once here, written as JSON.
  const table = new Function(`return ${source.slice(tableStart + TABLE_START.length - 1, tableEnd)}`)();
  const { version, license } = JSON.parse(readFileSync(join(BUNDLE, '..', '..', 'package.json'), 'utf8'));
  const code =
    `// Generated by scripts/fast-tinyld.js from tinyld ${version} (${license}); do not edit.\n` +
    source.slice(0, tableStart) +
    TABLE_LOOKUP +
    source.slice(tableEnd, gramsStart) +
    GRAMS +
    UNIQUE_SEARCH +
    source.slice(gramsEnd, scoreStart).replace(GRAMS_END, 'function o0_original(') +
    SCORE_WORD +
    source.slice(scoreStart, scoreEnd).replace(SCORE_WORD_START, 'function t0_original(a,e,n){') +
    source.slice(scoreEnd, decodeStart) +
    LAZY_DECODE +
    source.slice(decodeEnd) +
    LOAD_TABLE_EXPORT;
  const files = {};
  for (const [part, file] of Object.entries(PARTS)) {
    const lines = partLines(table[part]);
    if (lines === null) return `a gram of the table's ${part} does not fit on a line`;
    files[file] = lines;
  }
  mkdirSync(outDir, { recursive: true });
  for (const [file, lines] of Object.entries(files)) writeFileSync(join(outDir, file), lines);
  writeFileSync(join(outDir, 'table.json'), JSON.stringify(table));
  writeFileSync(join(outDir, 'tinyld.js'), code);
  return null;
}

module.exports = { writeFastTinyld };

if (require.main === module) {
  const out = resolve(process.argv[2] ?? join(__dirname, '..', 'dist', 'engine', 'tinyld'));
  const problem = writeFastTinyld(out);
  if (problem) process.stderr.write(`fast-tinyld: ${problem}; the engine will load tinyld itself (slower to start, same answers)\n`);
}
