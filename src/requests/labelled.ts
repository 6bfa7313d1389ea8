/**
 * Reading the labelled documents of an evaluation (POST /v1/evaluate): each a document as
 * document.ts reads one (the same id, url and lang), plus what cleaning it should give: `gold`,
 * the article body, or `with`/`without` snippets. Problems name `documents/<i>/<field>`.
 */
import type { FieldError } from '../errors';
import type { EvalDocument } from '../rulesets/evaluation';
import { languageOf } from './language';
import { isPlainObject } from '../plain-object';
import { LabelledDocument } from './schemas';
import { check } from './validate';

export type ReadLabelled = { ok: true; docs: EvalDocument[] } | { ok: false; errors: FieldError[] };

export function readLabelledDocuments(values: unknown[]): ReadLabelled {
  const errors: FieldError[] = [];
  const docs: EvalDocument[] = [];
  values.forEach((value, i) => {
    const at = `documents/${i}`;
    const checked = check(LabelledDocument, value);
    if (!checked.ok) for (const e of checked.errors) errors.push({ ...e, field: e.field === '(body)' ? at : `${at}/${e.field}` });
    if (!isPlainObject(value)) return;
    const d = value;
    const hasGold = typeof d.gold === 'string';
    if (!hasGold && d.with === undefined && d.without === undefined) errors.push({ in: 'body', field: at, message: 'needs gold, or with/without snippets' });
    if (!checked.ok) return;
    const doc = checked.value;
    docs.push({
      id: typeof doc.id === 'string' || typeof doc.id === 'number' ? String(doc.id) : String(i),
      text: doc.text,
      ...(doc.gold !== undefined ? { gold: doc.gold } : { with: doc.with ?? [], without: doc.without ?? [] }),
      ...(typeof doc.url === 'string' ? { url: doc.url } : {}),
      ...(doc.lang !== undefined ? { lang: languageOf(doc.lang) } : {}),
    });
  });
  return errors.length ? { ok: false, errors } : { ok: true, docs };
}
