/**
 * `declutter clean [FILE|-] [--ruleset ID|PATH] [--html [--charset LABEL]] [--json] [--format text|html]
 *  [--lang xx] [--offsets codepoint] [--id ID]`
 *
 * With --html the input is a page, read as bytes and decoded as the HTTP service decodes a
 * text/html body (BOM, then --charset, then a <meta> charset in the first 1024 bytes, then UTF-8).
 * Without --json the clean text is printed, or with --format html the sanitised article HTML.
 */
import { cleanOne, type InputKind, type OutputFormat } from '../../batch/clean-one';
import type { OffsetUnit } from '../../engine';
import { decodeHtml, UnsupportedCharsetError } from '../../engine/html/charset';
import { CliError, parseArgs } from '../args';
import { readWhole, readWholeBytes } from '../io';
import { resolveRuleSet } from '../rulesets';

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${flag} is ${allowed.join(' or ')}`);
  return value as T;
}

async function readInput(path: string | undefined, kind: InputKind, charset: string | undefined): Promise<string> {
  if (kind === 'text') return readWhole(path);
  try {
    return decodeHtml(await readWholeBytes(path), charset).html;
  } catch (e) {
    if (e instanceof UnsupportedCharsetError) throw new CliError(e.message);
    throw e;
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['--ruleset', '--lang', '--offsets', '--id', '--format', '--charset'], booleans: ['--html', '--json'] });
  if (args.positional.length > 1) throw new CliError('give one input file, or - for standard input');
  const offsets = oneOf<OffsetUnit>('--offsets', args.values['--offsets'], ['utf16', 'codepoint'], 'utf16');
  const format = oneOf<OutputFormat>('--format', args.values['--format'], ['text', 'html'], 'text');
  const kind: InputKind = args.flags.has('--html') ? 'html' : 'text';
  const charset = args.values['--charset'];
  if (charset !== undefined && kind !== 'html') throw new CliError('--charset applies to HTML input: add --html (text input is read as UTF-8)');
  const ruleset = resolveRuleSet(args.values['--ruleset']);
  const input = await readInput(args.positional[0], kind, charset);
  const result = cleanOne(input, kind, ruleset, { lang: args.values['--lang'], offsets, id: args.values['--id'], format });
  const out = args.flags.has('--json') ? JSON.stringify(result) : format === 'html' ? result.html! : result.text;
  process.stdout.write(out + '\n');
  return 0;
}
