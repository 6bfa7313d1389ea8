/** `declutter clean [FILE|-] [--ruleset ID|PATH] [--html] [--json] [--lang xx] [--offsets codepoint]` */
import { cleanText, type OffsetUnit } from '../../engine';
import { CliError, parseArgs } from '../args';
import { readWhole } from '../io';
import { resolveRuleSet } from '../rulesets';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['--ruleset', '--lang', '--offsets', '--id'], booleans: ['--html', '--json'] });
  if (args.positional.length > 1) throw new CliError('give one input file, or - for standard input');
  const offsets = args.values['--offsets'] ?? 'utf16';
  if (offsets !== 'utf16' && offsets !== 'codepoint') throw new CliError('--offsets is utf16 or codepoint');
  if (args.flags.has('--html')) throw new CliError('HTML input is not supported yet (see the HTML issue)', 2);
  const ruleset = resolveRuleSet(args.values['--ruleset']);
  const text = await readWhole(args.positional[0]);
  const result = cleanText(text, ruleset, { lang: args.values['--lang'], offsets: offsets as OffsetUnit, id: args.values['--id'] });
  process.stdout.write(args.flags.has('--json') ? JSON.stringify(result) + '\n' : result.text + '\n');
  return 0;
}
