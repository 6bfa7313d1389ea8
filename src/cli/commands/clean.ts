/**
 * `declutter clean [FILE|-] [options]`: flags and help in ../specs/clean.ts.
 *
 * A page (--html, or input that starts with a doctype or <html>) is read as bytes and decoded as
 * the HTTP service decodes a text/html body (BOM, then --charset, then a <meta> charset in the
 * first 1024 bytes, then UTF-8). Text is read as UTF-8, and refused when it is not text at all.
 * Without --json the clean text is printed, or with --format html the sanitised article HTML.
 */
import { cleanOne, type InputKind, type OutputFormat } from '../../batch/clean-one';
import { resultLine } from '../../batch/result-line';
import type { OffsetUnit } from '../../engine';
import type { ResultDetail } from '../../requests';
import { decodeHtml, UnsupportedCharsetError } from '../../engine/html/charset';
import { CliError, parseArgs, type ParsedArgs } from '../args';
import { readWholeBytes } from '../io';
import { resolveRuleSet } from '../rulesets';
import { binaryReason, looksLikeHtml } from '../sniff';
import { clean as spec } from '../specs/clean';

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${flag} is ${allowed.join(' or ')}`);
  return value as T;
}

function decodePage(bytes: Buffer, charset: string | undefined): string {
  try {
    return decodeHtml(bytes, charset).html;
  } catch (e) {
    if (e instanceof UnsupportedCharsetError) throw new CliError(e.message);
    throw e;
  }
}

/** The input and how to read it: as told, else a page when it starts like one. */
function decide(args: ParsedArgs, bytes: Buffer, where: string): { kind: InputKind; input: string } {
  const charset = args.values['--charset'];
  if (args.flags.has('--html')) return { kind: 'html', input: decodePage(bytes, charset) };
  if (!args.flags.has('--text') && looksLikeHtml(bytes)) {
    process.stderr.write(`declutter clean: ${where} starts like an HTML page, so it was cleaned as one (--html); add --text to clean it as plain text\n`);
    return { kind: 'html', input: decodePage(bytes, charset) };
  }
  const binary = binaryReason(bytes);
  if (binary) throw new CliError(`${where} does not look like text: ${binary}`, 1);
  return { kind: 'text', input: bytes.toString('utf8') };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.positional.length > 1) throw new CliError('give one input file, or - for standard input');
  if (args.flags.has('--html') && args.flags.has('--text')) throw new CliError('--html and --text contradict each other: give one');
  const offsets = oneOf<OffsetUnit>('--offsets', args.values['--offsets'], ['utf16', 'codepoint'], 'utf16');
  const format = oneOf<OutputFormat>('--format', args.values['--format'], ['text', 'html'], 'text');
  const detail = oneOf<ResultDetail>('--detail', args.values['--detail'], ['full', 'spans', 'none'], 'full');
  if (args.values['--detail'] !== undefined && !args.flags.has('--json')) {
    throw new CliError('--detail shapes the --json result: add --json (without it only the clean text is printed)');
  }
  if (args.values['--charset'] !== undefined && !args.flags.has('--html')) {
    throw new CliError('--charset applies to HTML input: add --html (text input is read as UTF-8)');
  }
  const ruleset = resolveRuleSet(args.values['--ruleset']);
  const path = args.positional[0];
  const bytes = await readWholeBytes(path);
  const { kind, input } = decide(args, bytes, path && path !== '-' ? path : 'the input');
  const result = cleanOne(input, kind, ruleset, { lang: args.values['--lang'], offsets, id: args.values['--id'], format });
  const out = args.flags.has('--json') ? resultLine(undefined, result, ruleset, detail) : format === 'html' ? result.html! : result.text;
  process.stdout.write(out + '\n');
  return 0;
}
