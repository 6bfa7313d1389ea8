/**
 * A JSON object, as opposed to null, an array or a scalar: what every request body and line must be,
 * and what a rule set and its YAML nodes are checked for. Below every folder, so each can use it.
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
