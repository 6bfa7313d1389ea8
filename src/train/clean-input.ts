/**
 * Damage to clean input: an article body that is already clean, sent as it is, must come back
 * essentially whole. The measure is the share of its non-space characters that the cleaner
 * removes; the gold bodies of labelled sets are such articles. Checked by the quality gate and
 * printed by scripts/clean-input-damage.js.
 *
 * A gold body may itself hold furniture (a byline, "Advertisement", a copyright line the labeller
 * kept): removing that is no damage. So every loss is split by what removed it: `named` is what
 * the explicit rules took (the inline and block rules, which name the furniture they remove),
 * `judged` what the rules that weigh the whole page took (the article scorer, menu runs, teaser
 * lists, duplicates, comment threads, and the page-relative teaser test). Judged loss on a clean
 * body is the damage item 4 of issue 14 is about; named loss says what the gold holds.
 */
import { cleanText } from '../engine/clean';
import { cleanHtml } from '../engine/html';
import type { CompiledRuleSet } from '../engine/ruleset';
import type { LabelledDoc } from './data';

export interface DamageReport {
  docs: number;
  /** Mean over documents of the share of non-space characters removed. */
  mean: number;
  /** The largest share, and the document it is on. */
  max: number;
  worst: string;
  /** Documents that lost more than `over` of their characters. */
  over: number;
  /** The same three figures for the judged part of the loss alone (see above). */
  judgedMean: number;
  judgedMax: number;
  judgedOver: number;
}

/** One body's loss, split by what removed it; `byRule`: share of the body per rule id. */
export interface DamageDetail {
  lost: number;
  named: number;
  judged: number;
  byRule: Record<string, number>;
}

const nonSpace = (s: string) => s.replace(/\s+/gu, '').length;

/** A gold body as a page would carry it: its paragraphs as `<p>` in an `<article>`. */
export function asArticleHtml(gold: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paragraphs = gold.split(/\n\s*\n/).filter((p) => p.trim());
  return `<!doctype html><html><body><article>${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}</article></body></html>`;
}

/** Share of the gold's non-space characters missing from the cleaner's output for that gold. */
export function damage(gold: string, ruleset: CompiledRuleSet, html = false): number {
  return damageDetail(gold, ruleset, html).lost;
}

/** The loss of one gold body and which rules caused it (named or judged, see above). */
export function damageDetail(gold: string, ruleset: CompiledRuleSet, html = false): DamageDetail {
  const total = nonSpace(gold);
  const detail: DamageDetail = { lost: 0, named: 0, judged: 0, byRule: {} };
  if (total === 0) return detail;
  const result = html ? cleanHtml(asArticleHtml(gold), ruleset) : cleanText(gold, ruleset);
  detail.lost = Math.max(0, 1 - nonSpace(result.text) / total);
  const judges = new Set(ruleset.rules.filter((r) => r.stage === 'document' || r.pageRelative).map((r) => r.id));
  for (const span of result.removed) {
    const share = nonSpace(span.text) / total;
    if (share === 0) continue;
    detail.byRule[span.rule] = (detail.byRule[span.rule] ?? 0) + share;
    if (judges.has(span.rule)) detail.judged += share;
    else detail.named += share;
  }
  return detail;
}

export function cleanInputDamage(docs: LabelledDoc[], ruleset: CompiledRuleSet, options: { html?: boolean; over?: number } = {}): DamageReport {
  const over = options.over ?? 0.1;
  const report: DamageReport = { docs: 0, mean: 0, max: 0, worst: '', over: 0, judgedMean: 0, judgedMax: 0, judgedOver: 0 };
  for (const d of docs) {
    if (typeof d.gold !== 'string' || !d.gold.trim()) continue;
    const { lost, judged } = damageDetail(d.gold, ruleset, options.html);
    report.docs++;
    report.mean += lost;
    report.judgedMean += judged;
    if (lost > report.max) {
      report.max = lost;
      report.worst = d.id;
    }
    report.judgedMax = Math.max(report.judgedMax, judged);
    if (lost > over) report.over++;
    if (judged > over) report.judgedOver++;
  }
  if (report.docs) {
    report.mean /= report.docs;
    report.judgedMean /= report.docs;
  }
  return report;
}
