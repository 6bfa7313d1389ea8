import type { CommandSpec } from '../args';

export const rulesets: CommandSpec = {
  name: 'rulesets',
  summary: 'move rule sets between a rules directory and the PostgreSQL store',
  synopsis: 'import|export DIR [--store URL]',
  about: [
    'import: the sets of DIR, with their .history versions, into the store. A set keeps',
    "its file's version unless the store has a higher one; then it becomes the next.",
    'export: every set of the store into DIR as <id>.yaml, every version into',
    'DIR/.history, as the file store keeps them. Unchanged sets are left alone.',
  ],
  flags: [{ name: '--store', value: 'URL', help: 'the PostgreSQL store, postgres://user:password@host:5432/db (default: DECLUTTER_STORE)' }],
  examples: [
    'declutter rulesets import rules/ --store postgres://declutter@db:5432/declutter',
    'DECLUTTER_STORE=postgres://declutter@db/declutter declutter rulesets export backup/',
  ],
};
