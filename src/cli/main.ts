/**
 * Dispatches `declutter <command> ...` to src/cli/commands/<command>.ts. Each command exports
 * `run(argv): Promise<number>` and is loaded only when used, so `declutter clean` does not pay
 * for the server or the worker pool.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './args';

const COMMANDS: Record<string, string> = {
  clean:
    'clean a document: declutter clean [FILE|-] [--ruleset ID|PATH] [--html [--charset LABEL]] [--json] [--format text|html] [--lang xx] [--offsets codepoint]',
  batch: 'clean JSON lines: declutter batch [IN.jsonl|-] [--ruleset ID|PATH] [--skip-done OUT.jsonl] [--html] [--format html]',
  serve: 'start the HTTP service: declutter serve (settings from the environment, see README)',
  eval: 'score a labelled set: declutter eval --set FILE.jsonl [--ruleset ID|PATH]',
  train: 'learn the scorer: declutter train --set FILE.jsonl [--set ...] --out rules/NAME.yaml',
};

export function usage(): string {
  return ['usage: declutter <command> [options]', '', ...Object.entries(COMMANDS).map(([c, u]) => `  ${c.padEnd(6)} ${u}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage() + '\n');
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (!(command in COMMANDS)) {
    process.stderr.write(`declutter: unknown command "${command}" (try: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`./commands/${command}`) as { run(argv: string[]): Promise<number> };
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`declutter ${command}: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`declutter ${command}: ${message.split('\n')[0]}\n`);
    return 1;
  }
}
