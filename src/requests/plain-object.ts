/** A JSON object, as opposed to null, an array or a scalar: what every request body and line must be. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
