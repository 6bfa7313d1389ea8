import type { CommandSpec } from '../args';

export const clean: CommandSpec = {
  name: 'clean',
  summary: 'clean one document and print its article text (or the whole result)',
  synopsis: '[FILE|-] [options]',
  about: [
    'Reads FILE, or standard input when FILE is - or missing, as UTF-8 text. Input that starts with',
    '<!doctype html> or <html> is cleaned as a page (a note on stderr says so; --text forces text).',
    'Binary input (NUL bytes, mostly invalid UTF-8) is refused.',
  ],
  flags: [
    { name: '--html', help: 'read the input as an HTML page (bytes; encoding from BOM, --charset, <meta>, else UTF-8)' },
    { name: '--text', help: 'read the input as plain text even when it looks like HTML' },
    { name: '--charset', value: 'LABEL', help: "with --html: the page's encoding when its <meta> is missing or wrong" },
    { name: '--ruleset', value: 'ID|PATH', help: 'the rule set: an id in the rules directory, or a .yaml/.json file (default: default)' },
    { name: '--json', help: 'print the whole result as JSON: text, every removed span with its rule and reason, stats' },
    {
      name: '--detail',
      value: 'full|spans|none',
      help: 'with --json: spans prints each span as {start, end, rule} and each rule once; none, no spans (default: full)',
    },
    { name: '--format', value: 'text|html', help: 'html: print the sanitised article HTML instead of its text (default: text)' },
    { name: '--lang', value: 'xx', help: 'language hint for the rules, an ISO 639-1 code (default: detected)' },
    { name: '--offsets', value: 'utf16|codepoint', help: "unit of the removed spans' offsets in --json (codepoint for Python, Go, ...; default: utf16)" },
    { name: '--id', value: 'ID', help: 'an id echoed back in the --json result' },
  ],
  examples: ['declutter clean page.txt > article.txt', 'declutter clean page.html --json | jq .removed'],
};
