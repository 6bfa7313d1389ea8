/**
 * Dispatches `declutter <command> ...` to src/cli/commands/<command>.ts. Each command exports
 * `run(argv): Promise<number>` and is loaded only when used, so `declutter clean` does not pay
 * for the server or the worker pool; its flags and help live in src/cli/specs, which load alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, formatHelp, wantsHelp } from './args';
import { SPECS } from './specs';
import { guardStdout } from './stdout';

export function usage(): string {
  const width = Math.max(...Object.keys(SPECS).map((c) => c.length)) + 2;
  return [
    'usage: declutter <command> [options]',
    '',
    'commands:',
    ...Object.values(SPECS).map((s) => `  ${s.name.padEnd(width)}${s.summary}`),
    '',
    "declutter <command> --help   a command's options and an example",
    'declutter --version          the version',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic && topic in SPECS) {
      process.stdout.write(formatHelp(SPECS[topic]));
      return 0;
    }
    (command ? process.stdout : process.stderr).write(usage());
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const spec = SPECS[command];
  if (!spec) {
    process.stderr.write(`declutter: unknown command "${command}" (try: ${Object.keys(SPECS).join(', ')}; or declutter --help)\n`);
    return 2;
  }
  if (wantsHelp(rest, spec)) {
    process.stdout.write(formatHelp(spec));
    return 0;
  }
  // The server logs to stdout and its supervisor decides what a closed stdout means.
  if (command !== 'serve') guardStdout(command);
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
