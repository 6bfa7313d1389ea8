/**
 * Compares a documented answer with the real one. The documentation may leave fields out (it
 * shows what a reader needs, and a list may end in "…"), but every field and item it shows must be
 * what the command really answers.
 */

/** Fields that differ on every run: the documentation shows an example value, its type must hold. */
const VARYING = new Set(['elapsedMs', 'requestId']);

/** The last item of a list shown in part. */
const MORE = '…';

/** The first difference between what the documentation shows and the real value, or null. */
export function jsonMismatch(documented: unknown, actual: unknown, at = '$'): string | null {
  if (Array.isArray(documented)) {
    if (!Array.isArray(actual)) return `${at}: documented an array, got ${JSON.stringify(actual)}`;
    // A list shown in part ends with "…": its first items must be the real first items.
    const partial = documented.at(-1) === MORE;
    const shown = partial ? documented.length - 1 : documented.length;
    if (partial ? actual.length < shown : actual.length !== shown)
      return `${at}: documented ${partial ? 'at least ' : ''}${shown} items, got ${actual.length}: ${JSON.stringify(actual)}`;
    for (let i = 0; i < shown; i++) {
      const m = jsonMismatch(documented[i], actual[i], `${at}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (documented && typeof documented === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return `${at}: documented an object, got ${JSON.stringify(actual)}`;
    for (const [key, value] of Object.entries(documented)) {
      const real = (actual as Record<string, unknown>)[key];
      if (VARYING.has(key)) {
        if (typeof real !== typeof value) return `${at}.${key}: documented a ${typeof value}, got ${JSON.stringify(real)}`;
        continue;
      }
      const m = jsonMismatch(value, real, `${at}.${key}`);
      if (m) return m;
    }
    return null;
  }
  return documented === actual ? null : `${at}: documented ${JSON.stringify(documented)}, got ${JSON.stringify(actual)}`;
}

/**
 * Printed output (`text`): the non-blank lines must be the output's, all of them, in order.
 * Headers (`http`): every documented line must be a line of the output, in order, others between.
 */
export function linesMismatch(documented: string, actual: string, all = true): string | null {
  const shown = documented
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const real = actual.split(/\r?\n/).map((l) => l.trim());
  if (all) {
    const printed = real.filter(Boolean);
    for (let i = 0; i < Math.max(printed.length, shown.length); i++) {
      if (printed[i] !== shown[i])
        return `line ${i + 1}: documented ${JSON.stringify(shown[i] ?? '(the end)')}, printed ${JSON.stringify(printed[i] ?? '(the end)')}`;
    }
    return null;
  }
  let from = 0;
  for (const line of shown) {
    const at = real.indexOf(line, from);
    if (at < 0) return `documented line ${JSON.stringify(line)} is not in the output (in order):\n${actual}`;
    from = at + 1;
  }
  return null;
}

/** A problem+json answer (or a 4xx/5xx status line) that no answer block documents is a broken example. */
export function undocumentedProblem(output: string): string | null {
  const status = /^HTTP\/[\d.]+ ([45]\d\d)/.exec(output);
  if (status) return `answered ${status[1]}`;
  try {
    const body = JSON.parse(output) as { status?: unknown; code?: unknown };
    if (typeof body.status === 'number' && body.status >= 400) return `answered a problem: ${output}`;
  } catch {
    // not JSON: plain text or NDJSON, judged by the exit status alone
  }
  return null;
}
