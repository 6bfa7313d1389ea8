import type { CommandSpec } from '../args';

export const batch: CommandSpec = {
  name: 'batch',
  summary: 'clean JSON lines, one {id, text} (or {id, html}) a line, on every core',
  synopsis: '[IN.jsonl|IN.warc[.gz]|-] [options]',
  about: [
    'One result a line on stdout, in input order: {id, ...result}, or {id, error} for a bad line.',
    "A line's own options win over the flags. Exit 0 when every line was answered, 130 when interrupted.",
    'A WARC or WET file (plain or .gz; found by its first bytes, or say --warc) is read record by record:',
    'HTML responses are cleaned as pages, WET conversion records as text, other records skipped and counted.',
  ],
  flags: [
    { name: '--ruleset', value: 'ID|PATH', help: 'the rule set for lines that name none (default: default)' },
    { name: '--html', help: 'clean the html of lines that carry both text and html (the labelled sets do)' },
    { name: '--format', value: 'text|html', help: 'html: add the sanitised article HTML to every result (default: text)' },
    {
      name: '--detail',
      value: 'full|spans|none',
      help: 'spans: each removed span as {start, end, rule}, each rule once in `rules`; none: no spans (default: full)',
    },
    { name: '--concurrency', value: 'N', help: 'worker threads, 1 to 256 (default: DECLUTTER_WORKERS, else one per core)' },
    { name: '--skip-done', value: 'OUT.jsonl', help: 'skip ids already in OUT, to resume an interrupted run with >> OUT' },
    { name: '--warc', help: 'the input is a WARC or WET file (needed for gzipped standard input; files are recognised)' },
    { name: '--out-format', value: 'ndjson|warc', help: 'warc: write WARC conversion records of the clean text (WARC input only; default: ndjson)' },
  ],
  examples: [
    'declutter batch crawl.jsonl > cleaned.jsonl',
    'declutter batch crawl.jsonl --skip-done cleaned.jsonl >> cleaned.jsonl',
    'declutter batch crawl.warc.gz --out-format warc | gzip > cleaned.wet.gz',
  ],
};
