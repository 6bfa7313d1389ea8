/**
 * Two SVG charts, no library: removed characters per category (saved vs edited) and F1 per
 * document (saved vs edited). Saved is drawn hollow grey, edited solid blue, so the pair is told
 * apart by shape and fill as well as colour.
 */
import { esc } from './dom';

const BEFORE = '#7a7a7a';
const AFTER = '#0072B2';

export function categoryChart(before: Map<string, number>, after: Map<string, number>): string {
  const cats = [...new Set([...before.keys(), ...after.keys()])].sort(
    (a, b) => (after.get(b) ?? 0) + (before.get(b) ?? 0) - (after.get(a) ?? 0) - (before.get(a) ?? 0),
  );
  const max = Math.max(1, ...before.values(), ...after.values());
  const row = 34;
  const left = 110;
  const width = 560;
  // Room on the right for the longest "saved → edited" label (about 7 px a character at 12 px).
  const longest = Math.max(0, ...cats.map((c) => `${(before.get(c) ?? 0).toLocaleString('en')} → ${(after.get(c) ?? 0).toLocaleString('en')}`.length));
  const barMax = width - left - 12 - longest * 7.2;
  const height = cats.length * row + 30;
  const parts = [
    `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="cat-chart-title" class="chart"><title id="cat-chart-title">Removed characters per category, saved set (hollow grey) and edited set (solid blue)</title>`,
  ];
  cats.forEach((c, i) => {
    const y = i * row + 6;
    const b = before.get(c) ?? 0;
    const a = after.get(c) ?? 0;
    parts.push(`<text x="${left - 8}" y="${y + 17}" text-anchor="end" class="axis">${esc(c)}</text>`);
    parts.push(
      `<rect x="${left}" y="${y}" width="${Math.max(1, (b / max) * barMax)}" height="12" fill="none" stroke="${BEFORE}" stroke-width="1.5"><title>${esc(c)}, saved: ${b} characters</title></rect>`,
    );
    parts.push(
      `<rect x="${left}" y="${y + 14}" width="${Math.max(1, (a / max) * barMax)}" height="12" fill="${AFTER}"><title>${esc(c)}, edited: ${a} characters</title></rect>`,
    );
    parts.push(
      `<text x="${left + Math.max((b / max) * barMax, (a / max) * barMax) + 6}" y="${y + 17}" class="value">${b.toLocaleString('en')} → ${a.toLocaleString('en')}</text>`,
    );
  });
  parts.push(`<text x="${left}" y="${height - 6}" class="axis">characters removed (max ${max.toLocaleString('en')})</text></svg>`);
  return parts.join('');
}

export function f1Chart(docs: { id: string; before: number; after: number }[]): string {
  // Sorted by the saved F1, so the curve of the saved set rises and moves of the edit stand out.
  const sorted = [...docs].sort((a, b) => a.before - b.before);
  const width = 560;
  const height = 220;
  const left = 40;
  const bottom = 30;
  const plotW = width - left - 10;
  const plotH = height - bottom - 10;
  // 12 px inside the axes, so the first and last documents do not sit on the axis labels.
  const x = (i: number) => left + 12 + (sorted.length === 1 ? (plotW - 24) / 2 : (i / (sorted.length - 1)) * (plotW - 24));
  const y = (v: number) => 10 + (1 - v) * plotH;
  const parts = [
    `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="f1-chart-title" class="chart"><title id="f1-chart-title">F1 per document, saved set (hollow grey circles) and edited set (solid blue squares), documents sorted by saved F1</title>`,
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${left}" x2="${width - 10}" y1="${y(t)}" y2="${y(t)}" class="grid"/><text x="${left - 6}" y="${y(t) + 4}" text-anchor="end" class="axis">${t}</text>`,
    );
  }
  sorted.forEach((d, i) => {
    const label = `${esc(d.id)}: F1 ${d.before.toFixed(3)} → ${d.after.toFixed(3)}`;
    if (Math.abs(d.after - d.before) > 1e-9)
      parts.push(
        `<line x1="${x(i)}" x2="${x(i)}" y1="${y(d.before)}" y2="${y(d.after)}" stroke="${d.after < d.before ? '#D55E00' : AFTER}" stroke-width="1.5"/>`,
      );
    // The whole column answers the pointer, not only a 4 px dot: hovering anywhere names the document.
    const col = sorted.length === 1 ? plotW - 24 : (plotW - 24) / (sorted.length - 1);
    parts.push(
      `<rect class="hit" data-doc="${esc(d.id)}" x="${x(i) - col / 2}" y="10" width="${col}" height="${plotH}" fill="transparent"><title>${label}</title></rect>`,
    );
    parts.push(`<circle cx="${x(i)}" cy="${y(d.before)}" r="4" fill="white" stroke="${BEFORE}" stroke-width="1.5"><title>${label}</title></circle>`);
    parts.push(`<rect x="${x(i) - 3}" y="${y(d.after) - 3}" width="6" height="6" fill="${AFTER}"><title>${label}</title></rect>`);
  });
  parts.push(
    `<text x="${left}" y="${height - 8}" class="axis">${sorted.length} documents, by saved F1; a vermillion line is a document that got worse</text></svg>`,
  );
  return parts.join('');
}
