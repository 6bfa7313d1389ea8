/** Reading a labelled corpus (JSONL in the contract's formats) pasted or uploaded by the user. */

/** A corpus document: `gold` (the article body), or `with`/`without` snippets; src/scoring scores both. */
export type LabelledDoc = ({ id: string; text: string; gold: string } | { id: string; text: string; with: string[]; without: string[] }) & {
  /** The page the text was scraped from, when the line has it: the corpus run can clean it instead. */
  html?: string;
};

export interface CorpusParse {
  docs: LabelledDoc[];
  /** Lines with a page (`{id, html}`, labelled or not): shown as HTML documents in the document panel. */
  pages: { id: string; html: string }[];
  /** One message per refused line, with its line number, so the user can fix the file. */
  errors: string[];
}

/** Lines are refused one by one (a broken line should not cost the whole upload). */
export function parseCorpus(jsonl: string): CorpusParse {
  const docs: LabelledDoc[] = [];
  const pages: { id: string; html: string }[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const lines = jsonl.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      errors.push(`line ${i + 1}: not valid JSON`);
      continue;
    }
    const v = value as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      errors.push(`line ${i + 1}: must be an object {id, text, gold}, {id, text, with, without} or {id, html}`);
      continue;
    }
    if (typeof v.html === 'string') {
      const id = v.id === undefined ? `line-${i + 1}` : String(v.id);
      if (!pages.some((p) => p.id === id)) pages.push({ id, html: v.html });
      // A page without text is a document to look at, not one the corpus run can score.
      if (v.text === undefined) continue;
    }
    if (typeof v.text !== 'string') {
      errors.push(`line ${i + 1}: "text" must be a string (or give "html" for a page)`);
      continue;
    }
    const id = v.id === undefined ? `line-${i + 1}` : String(v.id);
    if (seen.has(id)) {
      errors.push(`line ${i + 1}: id "${id}" is used by an earlier line`);
      continue;
    }
    if (typeof v.gold === 'string') {
      docs.push(typeof v.html === 'string' ? { id, text: v.text, gold: v.gold, html: v.html } : { id, text: v.text, gold: v.gold });
    } else if (
      Array.isArray(v.with) &&
      v.with.every((s) => typeof s === 'string') &&
      (v.without === undefined || (Array.isArray(v.without) && v.without.every((s) => typeof s === 'string')))
    ) {
      const doc: LabelledDoc = { id, text: v.text, with: v.with as string[], without: (v.without as string[] | undefined) ?? [] };
      if (typeof v.html === 'string') doc.html = v.html;
      docs.push(doc);
    } else {
      errors.push(`line ${i + 1}: needs "gold" (a string) or "with"/"without" (arrays of strings)`);
      continue;
    }
    seen.add(id);
  }
  return { docs, pages, errors };
}
