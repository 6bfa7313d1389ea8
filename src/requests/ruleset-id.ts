/**
 * The id of a stored rule set, as a path names it (/v1/rulesets/<id>). An id is also a file name
 * (`<id>.yaml`, `.history/<id>/`, `.locks/<id>.lock`), and file systems refuse names over 255
 * bytes: a longer id is refused here, as a field of the request, before it reaches the disk.
 */
import type { FieldError } from '../errors';

/** Far above any id a person chooses, far below a file name's limit with its extension and temp-file decoration. */
export const RULESET_ID_MAX = 128;

/** What is wrong with the id in the path, or null. */
export function rulesetIdError(id: string): FieldError | null {
  if (id.length <= RULESET_ID_MAX) return null;
  return { in: 'path', field: 'id', message: `must be at most ${RULESET_ID_MAX} characters long (it has ${id.length})` };
}
