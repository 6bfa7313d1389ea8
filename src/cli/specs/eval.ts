import type { CommandSpec } from '../args';

export const evalSpec: CommandSpec = {
  name: 'eval',
  summary: 'score a rule set on a labelled set: precision, recall, F1, removals per rule',
  synopsis: '--set FILE.jsonl [options]',
  about: ['FILE.jsonl holds one {id, text, gold or with/without} a line (the labelled-set format).'],
  flags: [
    { name: '--set', value: 'FILE.jsonl', help: 'the labelled set to score (required)' },
    { name: '--ruleset', value: 'ID|PATH', help: 'the rule set to score (default: default)' },
    { name: '--html', help: 'clean every document from its html field (the page) instead of text' },
    { name: '--worst', value: 'N', help: 'list the N documents with the lowest F1 (default: 5)' },
    { name: '--json', help: 'print the whole report as JSON' },
  ],
  examples: ['declutter eval --set labelled.jsonl --worst 10'],
};
