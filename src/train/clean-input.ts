/**
 * Damage to clean input: an article body that is already clean, sent as it is, must come back
 * essentially whole. The measure is the share of its non-space characters that the cleaner
 * removes; the gold bodies of labelled sets are such articles. Checked by the quality gate and
 * printed by scripts/clean-input-damage.js.
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
  const total = nonSpace(gold);
  if (total === 0) return 0;
  const out = html ? cleanHtml(asArticleHtml(gold), ruleset).text : cleanText(gold, ruleset).text;
  return Math.max(0, 1 - nonSpace(out) / total);
}

export function cleanInputDamage(docs: LabelledDoc[], ruleset: CompiledRuleSet, options: { html?: boolean; over?: number } = {}): DamageReport {
  const over = options.over ?? 0.1;
  const report: DamageReport = { docs: 0, mean: 0, max: 0, worst: '', over: 0 };
  for (const d of docs) {
    if (typeof d.gold !== 'string' || !d.gold.trim()) continue;
    const lost = damage(d.gold, ruleset, options.html);
    report.docs++;
    report.mean += lost;
    if (lost > report.max) {
      report.max = lost;
      report.worst = d.id;
    }
    if (lost > over) report.over++;
  }
  if (report.docs) report.mean /= report.docs;
  return report;
}
