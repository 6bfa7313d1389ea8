/**
 * `declutter eval --set FILE.jsonl [options]`: flags and help in ../specs/eval.ts.
 *
 * With --html every document is cleaned from its `html` field (the page) instead of `text`.
 *
 * Precision, recall and F1 exactly as ../shared/eval/score.mjs computes them (shingles for gold
 * sets, snippets for with/without sets), then removed characters per category and per rule, and
 * the worst documents.
 */
import { evaluate, type EvalReport } from '../../train/evaluate';
import { CliError, parseArgs } from '../args';
import { resolveRuleSet } from '../rulesets';
import { readLabelledSet } from '../sets';
import { evalSpec as spec } from '../specs/eval';

/** Five documents are what one reads before fixing the first. */
const DEFAULT_WORST = 5;

function share(n: number, total: number): string {
  return `${((100 * n) / Math.max(1, total)).toFixed(1)}%`;
}

export function formatReport(r: EvalReport, worst: number): string {
  const lines: string[] = [];
  if (r.shingle)
    lines.push(
      `shingle: docs=${r.shingle.docs} precision=${r.shingle.precision.toFixed(3)} recall=${r.shingle.recall.toFixed(3)} f1=${r.shingle.f1.toFixed(3)}`,
    );
  if (r.snippets)
    lines.push(
      `snippets: docs=${r.snippets.docs} precision=${r.snippets.precision.toFixed(3)} recall=${r.snippets.recall.toFixed(3)} f1=${r.snippets.f1.toFixed(3)}`,
    );
  const table = (title: string, counts: Record<string, number>) => {
    lines.push('', `removed characters by ${title} (of ${r.inputChars} input characters):`);
    for (const [k, n] of Object.entries(counts).sort((a, b) => b[1] - a[1]))
      lines.push(`  ${k.padEnd(28)} ${String(n).padStart(9)}  ${share(n, r.inputChars)}`);
  };
  table('category', r.removedByCategory);
  table('rule', r.removedByRule);
  lines.push('', `worst ${Math.min(worst, r.documents.length)} documents:`);
  for (const d of r.documents.slice(0, worst)) lines.push(`  ${d.id}  precision=${d.precision.toFixed(3)} recall=${d.recall.toFixed(3)} f1=${d.f1.toFixed(3)}`);
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  const path = args.values['--set'];
  if (!path) throw new CliError('give --set FILE.jsonl');
  const worst = args.values['--worst'] === undefined ? DEFAULT_WORST : Number(args.values['--worst']);
  if (!Number.isInteger(worst) || worst < 0) throw new CliError('--worst is a whole number');
  const ruleset = resolveRuleSet(args.values['--ruleset']);
  const docs = readLabelledSet(path);
  let report: EvalReport;
  if (args.flags.has('--html')) {
    const missing = docs.find((d) => typeof d.html !== 'string');
    if (missing) throw new CliError(`--html: document ${missing.id} in ${path} has no "html" field`, 1);
    // Loaded on demand, as everywhere else: text-only runs never pay for the HTML parser.
    const { cleanHtml } = await import('../../engine/html');
    report = evaluate(docs, ruleset, (d) => cleanHtml(d.html!, ruleset));
  } else {
    report = evaluate(docs, ruleset);
  }
  process.stdout.write((args.flags.has('--json') ? JSON.stringify(report) : formatReport(report, worst)) + '\n');
  return 0;
}
