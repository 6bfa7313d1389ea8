/**
 * `declutter train --set FILE.jsonl [--set ...] --out rules/models/NAME.yaml [options]`: flags
 * and help in ../specs/train.ts.
 *
 * Learns the article scorer from documents with a gold text and writes the model file --out,
 * nothing else: a set's scorer rule names that file (`model: models/NAME.yaml`). The scorer is
 * trained on what the other rules of the set leave (--ruleset, else default), and the report
 * gives figures on the training documents and, separately, on the held-back ones; with several
 * sets, also each set judged by a scorer trained on the others only.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { resolveRules, type RuleSetDef } from '../../engine';
import { loadRuleSets, readRuleSetFile } from '../../rulesets/load';
import { parseModelText } from '../../rulesets/models';
import type { LabelledDoc } from '../../train/data';
import { train, withScorer, type SplitReport } from '../../train/train';
import { writeModel } from '../../train/write';
import { REPORTED_APART, SOURCE_TERMS, sourceWeight } from '../../train/sources';
import { formatLoso, type SourceFigures } from '../../train/loso';
import { aggregateShingles, shingleMatch } from '../../scoring/metrics';
import { cleanHtml } from '../../engine/html';
import { cleanText } from '../../engine/clean';
import { compileRuleSet } from '../../engine/ruleset';
import { CliError, parseArgs } from '../args';
import { CLI_SETS, isRuleSetPath, rulesDir } from '../rulesets';
import { readLabelledSet } from '../sets';
import { train as spec } from '../specs/train';

/** A fifth held back: enough documents to see overfitting, most still to learn from. */
const DEFAULT_HOLDOUT = 0.2;
const DEFAULT_SEED = 1;

function baseSet(ruleset: string | undefined): RuleSetDef {
  const defs = loadRuleSets(rulesDir(), CLI_SETS).defs;
  let def: RuleSetDef | undefined;
  if (ruleset && isRuleSetPath(ruleset)) def = readRuleSetFile(ruleset, CLI_SETS);
  else def = defs.get(ruleset ?? 'default');
  if (!def) throw new CliError(`unknown rule set "${ruleset ?? 'default'}"`, 1);
  // Flatten `extends` so that training sees the effective rules.
  return { id: def.id, version: def.version, rules: resolveRules(def, (id) => defs.get(id)) };
}

/** `--out` replaces a model file, never a rule set (as `--out rules/default.yaml` did before models had files of their own). */
function refuseToOverwriteNonModel(out: string): void {
  if (!existsSync(out)) return;
  try {
    parseModelText(readFileSync(out, 'utf8'), out);
  } catch {
    throw new CliError(`--out ${out} exists and is not a model file; train writes only models: --out rules/models/NAME.yaml`);
  }
}

export function formatSplit(name: string, r: SplitReport): string {
  const s = r.shingle;
  return `${name.padEnd(10)} docs ${String(r.docs).padStart(4)}  blocks ${String(r.blocks).padStart(6)}  block accuracy ${r.blockAccuracy.toFixed(3)} (weighted ${r.weightedAccuracy.toFixed(3)})  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}`;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  const sets = args.multi['--set'] ?? [];
  const out = args.values['--out'];
  if (sets.length === 0) throw new CliError('give at least one --set FILE.jsonl');
  if (!out) throw new CliError('give --out rules/models/NAME.yaml');
  if (!/\.ya?ml$/.test(out)) throw new CliError('--out must be a .yaml file');
  refuseToOverwriteNonModel(out);
  const holdout = args.values['--holdout'] === undefined ? DEFAULT_HOLDOUT : Number(args.values['--holdout']);
  if (!(holdout >= 0 && holdout < 1)) throw new CliError('--holdout is a share of the documents, at least 0 and below 1');
  const seed = args.values['--seed'] === undefined ? DEFAULT_SEED : Number(args.values['--seed']);
  if (!Number.isInteger(seed)) throw new CliError('--seed is an integer');

  const base = baseSet(args.values['--ruleset']);
  const overrides: Record<string, number> = {};
  for (const w of args.multi['--weight'] ?? []) {
    const m = /^([^=]+)=(\d+(?:\.\d+)?)$/.exec(w);
    if (!m) throw new CliError(`--weight ${w}: give SET=W, a set's file name without .jsonl and a weight of 0 or more`);
    overrides[m[1]] = Number(m[2]);
  }
  const bySet = new Map<string, LabelledDoc[]>();
  for (const path of sets) bySet.set(path, readLabelledSet(path));
  const nameOf = (path: string) => basename(path, extname(path));
  const weightOf = new Map<LabelledDoc, number>();
  for (const [path, docs] of bySet) for (const d of docs) weightOf.set(d, sourceWeight(nameOf(path), overrides));
  // A set of weight 0 is judged, never learnt from.
  const all = [...bySet.values()].flat();
  const started = Date.now();
  // --html: the HTML scorer, learnt from the documents' `html` with the markup's features.
  const html = args.flags.has('--html');
  // --page-threshold: a threshold for each page from its page features for the text scorer too
  // (src/train/page-threshold.ts); the HTML scorer's training always learns one when it pays.
  const pageThreshold = args.flags.has('--page-threshold') ? true : undefined;
  const result = train(all, base, { holdout, seed, html, pageThreshold, regex: CLI_SETS.regex, weightOf: (d) => weightOf.get(d) ?? 1 });
  const log = (line: string) => process.stdout.write(line + '\n');
  log(`trained on ${result.train.docs} documents from ${sets.length} set(s), ${result.holdout?.docs ?? 0} held back (seed ${seed})`);
  log(formatSplit('train', result.train));
  if (result.holdout) log(formatSplit('held back', result.holdout));
  // Each set by itself, under the model just trained (its held-back documents included).
  const compiled = compileRuleSet(withScorer(base, result.rule), undefined, { regex: CLI_SETS.regex });
  const rows: SourceFigures[] = [];
  for (const [path, docs] of bySet) {
    const gold = docs.filter((d) => typeof d.gold === 'string' && (!html || typeof d.html === 'string'));
    const s = aggregateShingles(gold.map((d) => shingleMatch(d.gold!, html ? cleanHtml(d.html!, compiled).text : cleanText(d.text, compiled).text)));
    const w = sourceWeight(nameOf(path), overrides);
    log(
      `${nameOf(path).padEnd(18)} docs ${String(gold.length).padStart(4)}  weight ${w}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}`,
    );
    rows.push({ source: nameOf(path), docs: gold.length, inSample: s, heldOut: s });
  }
  if (bySet.size > 1 && !args.flags.has('--no-cross')) {
    // Each set judged by a scorer that never saw it: the honest figure for unseen sites.
    [...bySet].forEach(([path, docs], i) => {
      const others = [...bySet].filter(([p]) => p !== path).flatMap(([, d]) => d);
      const judged = new Set(docs);
      const cross = train([...others, ...docs], base, {
        holdout: 0,
        seed,
        html,
        pageThreshold,
        regex: CLI_SETS.regex,
        heldOut: (d) => judged.has(d),
        weightOf: (d) => weightOf.get(d) ?? 1,
      });
      if (cross.holdout) {
        log(formatSplit(basename(path, extname(path)), cross.holdout) + '  (trained on the other sets)');
        rows[i].heldOut = cross.holdout.shingle;
      }
    });
    // Per source, held-out beside in-sample: how far the figures on seen pages flatter the model.
    log('');
    for (const line of formatLoso(rows, REPORTED_APART)) log(line);
  }
  const command = `declutter train ${argv.join(' ')}`;
  const trainedOn = [...bySet.keys()].map(nameOf).filter((n) => sourceWeight(n, overrides) > 0);
  writeModel(out, result.model, command, [
    `Trained on: ${trainedOn.map((n) => `${n} (weight ${sourceWeight(n, overrides)})`).join(', ')}.`,
    ...trainedOn.filter((n) => SOURCE_TERMS[n]).map((n) => `Terms of use of ${n}: ${SOURCE_TERMS[n]}.`),
    // The data's fingerprint: a retrain that does not give this file back byte for byte either
    // ran on other data (these differ) or on other rules or code (scripts/check-models.js).
    ...[...bySet.keys()]
      .filter((p) => sourceWeight(nameOf(p), overrides) > 0)
      .map((p) => `Data of ${nameOf(p)}: sha256 ${createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16)}.`),
  ]);
  log(`threshold ${result.model.threshold}; wrote ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
