/** WCAG 2 contrast: relative luminance of sRGB colours and the ratio between two of them. */

export function parseHex(hex: string): [number, number, number, number] {
  const h = hex.replace('#', '');
  const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), h.length >= 8 ? n(6) / 255 : 1];
}

/** `fg` (with its alpha) painted over the opaque `bg`. */
export function over(fg: string, bg: string): string {
  const [r, g, b, a] = parseHex(fg);
  const [R, G, B] = parseHex(bg);
  const mix = (x: number, y: number) => Math.round(x * a + y * (1 - a));
  return '#' + [mix(r, R), mix(g, G), mix(b, B)].map((v) => v.toString(16).padStart(2, '0')).join('');
}

export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((v, i) => (i < 3 ? v / 255 : v));
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
