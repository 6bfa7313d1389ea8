/**
 * A line diff (longest common subsequence over lines) for showing an edited rule set against the
 * saved one. Rule sets are a few thousand lines and edits touch a few, so the common head and tail
 * are cut first and the quadratic table only covers the changed middle.
 */
export interface DiffLine {
  op: ' ' | '+' | '-';
  text: string;
}

/** Past this many cells the middle is shown as "all removed, all added" rather than computed (memory). */
const MAX_TABLE_CELLS = 4_000_000;

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ op: ' ', text }));
  if (am.length * bm.length > MAX_TABLE_CELLS) {
    out.push(...am.map((text) => ({ op: '-' as const, text })), ...bm.map((text) => ({ op: '+' as const, text })));
  } else {
    const n = am.length;
    const m = bm.length;
    // lcs[i][j]: common lines of am[i..] and bm[j..], flattened.
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] = am[i] === bm[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (am[i] === bm[j]) {
        out.push({ op: ' ', text: am[i] });
        i++;
        j++;
      } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
        out.push({ op: '-', text: am[i++] });
      } else {
        out.push({ op: '+', text: bm[j++] });
      }
    }
    while (i < n) out.push({ op: '-', text: am[i++] });
    while (j < m) out.push({ op: '+', text: bm[j++] });
  }
  out.push(...a.slice(a.length - tail).map((text) => ({ op: ' ' as const, text })));
  return out;
}

/** The changed lines with `context` unchanged lines around each change; gaps become one "…" line. */
export function hunks(lines: DiffLine[], context = 3): (DiffLine | { op: '…'; text: string })[] {
  const keep = new Uint8Array(lines.length);
  lines.forEach((l, i) => {
    if (l.op !== ' ') for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = 1;
  });
  const out: (DiffLine | { op: '…'; text: string })[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (keep[i]) {
      if (skipped) out.push({ op: '…', text: `${skipped} unchanged lines` });
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped && out.length) out.push({ op: '…', text: `${skipped} unchanged lines` });
  return out;
}

/** A rule's first line in the set's YAML (`toYaml`): `  - id: ad-marker`. */
const RULE_START = /^\s*-\s+id:\s*['"]?([^'"\s#]+)/;

/**
 * The diff cut into hunks, each named by the rule its changed lines belong to: the rule whose
 * `- id:` line comes last before the change in the edited text (for a removed line, in the saved
 * text). A change above the first rule belongs to the set itself (`null`).
 */
export function ruleHunks(lines: DiffLine[], context = 3): { rule: string | null; lines: (DiffLine | { op: '…'; text: string })[] }[] {
  // The rule each line sits in, on both sides.
  let inBefore: string | null = null;
  let inAfter: string | null = null;
  const owner = lines.map((l) => {
    const m = RULE_START.exec(l.text);
    if (m && l.op !== '+') inBefore = m[1];
    if (m && l.op !== '-') inAfter = m[1];
    // A `- id:` line that was itself added or removed starts the rule it names.
    return l.op === '-' ? inBefore : inAfter;
  });
  const out: { rule: string | null; lines: (DiffLine | { op: '…'; text: string })[] }[] = [];
  const keep = new Uint8Array(lines.length);
  lines.forEach((l, i) => {
    if (l.op !== ' ') for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = 1;
  });
  let current: (typeof out)[number] | undefined;
  let skipped = 0;
  lines.forEach((l, i) => {
    if (!keep[i]) {
      skipped++;
      current = undefined;
      return;
    }
    if (l.op !== ' ' && current && current.rule !== owner[i] && current.lines.some((x) => x.op === '+' || x.op === '-')) current = undefined;
    if (!current) {
      current = { rule: null, lines: [] };
      if (skipped) current.lines.push({ op: '…', text: `${skipped} unchanged lines` });
      out.push(current);
    }
    skipped = 0;
    if (l.op !== ' ' && !current.lines.some((x) => x.op === '+' || x.op === '-')) current.rule = owner[i];
    current.lines.push(l);
  });
  return out;
}
