import type { CommandSpec } from '../args';

export const batch: CommandSpec = {
  name: 'batch',
  summary: 'clean JSON lines, one {id, text} (or {id, html}) a line, on every core',
  synopsis: '[IN.jsonl|-] [options]',
  about: [
    'One result a line on stdout, in input order: {id, ...result}, or {id, error} for a bad line.',
    "A line's own options win over the flags. Exit 0 when every line was answered, 130 when interrupted.",
  ],
  flags: [
    { name: '--ruleset', value: 'ID|PATH', help: 'the rule set for lines that name none (default: default)' },
    { name: '--html', help: 'clean the html of lines that carry both text and html (the labelled sets do)' },
    { name: '--format', value: 'text|html', help: 'html: add the sanitised article HTML to every result (default: text)' },
    { name: '--concurrency', value: 'N', help: 'worker threads, 1 to 256 (default: DECLUTTER_WORKERS, else one per core)' },
    { name: '--skip-done', value: 'OUT.jsonl', help: 'skip ids already in OUT, to resume an interrupted run with >> OUT' },
  ],
  examples: ['declutter batch crawl.jsonl > cleaned.jsonl', 'declutter batch crawl.jsonl --skip-done cleaned.jsonl >> cleaned.jsonl'],
};
