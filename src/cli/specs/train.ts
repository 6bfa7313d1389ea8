import type { CommandSpec } from '../args';

export const train: CommandSpec = {
  name: 'train',
  summary: 'learn the article scorer from labelled sets and write its model file',
  synopsis: '--set FILE.jsonl [--set ...] --out rules/models/NAME.yaml [options]',
  about: [
    'Writes only the model; a rule set uses it with `model: models/NAME.yaml`. Reports figures on',
    'the training documents, on the held-back ones and, with several sets, on each set unseen.',
  ],
  flags: [
    { name: '--set', value: 'FILE.jsonl', repeats: true, help: 'a labelled set with gold texts; at least one' },
    { name: '--out', value: 'PATH.yaml', help: 'the model file to write (required; never a rule set)' },
    { name: '--holdout', value: 'SHARE', help: 'share of the documents held back for the report, 0 to below 1 (default: 0.2)' },
    { name: '--seed', value: 'N', help: 'seed of the hold-out split (default: 1)' },
    { name: '--ruleset', value: 'ID|PATH', help: 'the set whose other rules run before the scorer (default: default)' },
    { name: '--html', help: "learn the HTML scorer from the documents' html, with the markup's features" },
    {
      name: '--weight',
      value: 'SET=W',
      repeats: true,
      help: 'how much a set (its file name without .jsonl) counts in training; 0: judged only (default: src/train/sources.ts)',
    },
    {
      name: '--page-threshold',
      help: "the text scorer too learns a threshold for each page from what its scores say about the page (pageThreshold; the HTML scorer's training always does, and keeps it when it pays)",
    },
    { name: '--no-cross', help: 'skip judging each set by a scorer trained on the others' },
  ],
  examples: ['declutter train --set a.jsonl --set b.jsonl --out rules/models/news.yaml'],
};
