/**
 * `declutter batch [IN.jsonl|-] [--ruleset ID|PATH]`: one `{id, text, ...}` a line in, one result a
 * line out, in input order; a bad line gives `{id, error}` and the rest go on.
 */
import { cleanText } from '../../engine';
import { CliError, parseArgs } from '../args';
import { lines, openInput } from '../io';
import { resolveRuleSet } from '../rulesets';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['--ruleset'] });
  if (args.positional.length > 1) throw new CliError('give one input file, or - for standard input');
  const ruleset = resolveRuleSet(args.values['--ruleset']);
  let lineNo = 0;
  for await (const line of lines(openInput(args.positional[0]))) {
    lineNo++;
    if (!line.trim()) continue;
    let out: unknown;
    let id: unknown = null;
    try {
      const doc = JSON.parse(line) as { id?: unknown; text?: unknown; lang?: unknown };
      id = doc?.id ?? null;
      if (typeof doc?.text !== 'string') throw new Error('the line has no "text" string');
      out = cleanText(doc.text, ruleset, { id: id === null ? undefined : String(id), lang: typeof doc.lang === 'string' ? doc.lang : undefined });
    } catch (e) {
      out = { id, error: { status: 400, title: 'Bad document', detail: `line ${lineNo}: ${(e as Error).message}` } };
    }
    if (!process.stdout.write(JSON.stringify(out) + '\n')) await new Promise((r) => process.stdout.once('drain', r));
  }
  return 0;
}
