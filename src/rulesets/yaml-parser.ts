/**
 * The YAML parser, loaded when a file is first parsed: a start whose files were all checked at
 * build time (prechecked.ts) never loads it.
 */
let yamlModule: typeof import('yaml') | undefined;

export function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof import('yaml'));
}
