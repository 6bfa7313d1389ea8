/**
 * A small, strict argument parser: unknown flags are errors, not silently ignored. It reads the
 * same `CommandSpec` that `declutter <command> --help` prints, so the help cannot list a flag the
 * parser refuses, nor the parser accept one the help leaves out.
 */

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export interface FlagDef {
  name: `--${string}`;
  /** The value's placeholder (`ID|PATH`); a flag without one takes no value. */
  value?: string;
  /** May be given more than once (values collect in `multi`). */
  repeats?: boolean;
  /** One line: what the flag does, and its default when it has one. */
  help: string;
}

export interface CommandSpec {
  name: string;
  /** One line, shown by `declutter --help`. */
  summary: string;
  /** What follows `declutter NAME`: positionals and required flags. */
  synopsis: string;
  /** A few lines printed under the usage line. */
  about?: string[];
  flags: FlagDef[];
  examples: string[];
}

export interface ParsedArgs {
  positional: string[];
  values: Record<string, string>;
  multi: Record<string, string[]>;
  flags: Set<string>;
}

const HELP = new Set(['--help', '-h']);

/** Walks argv as the parser does, calling `visit` for every option with its value (if it takes one). */
function walk(
  argv: string[],
  spec: CommandSpec,
  visit: (name: string, def: FlagDef | undefined, value: string | undefined) => void,
  positional: (arg: string) => void,
): void {
  const byName = new Map(spec.flags.map((f) => [f.name as string, f]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      // Everything after `--` is a positional, so a file named `-x` can still be given.
      argv.slice(i + 1).forEach(positional);
      return;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positional(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const def = byName.get(name);
    if (def?.value === undefined) {
      if (def && eq > 0) throw new CliError(`${name} takes no value`);
      visit(name, def, undefined);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new CliError(`${name} needs a value (${def.value})`);
    visit(name, def, value);
  }
}

export function parseArgs(argv: string[], spec: CommandSpec): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: {}, multi: {}, flags: new Set() };
  walk(
    argv,
    spec,
    (name, def, value) => {
      if (!def) throw new CliError(`unknown option ${name} (see: declutter ${spec.name} --help)`);
      if (value === undefined) out.flags.add(name);
      else if (def.repeats) (out.multi[name] ??= []).push(value);
      else out.values[name] = value;
    },
    (arg) => out.positional.push(arg),
  );
  return out;
}

/**
 * True when argv asks for help (`--help` or `-h` where an option may stand), even beside an
 * unknown option: someone who types --help wants the help, not an error about another flag.
 */
export function wantsHelp(argv: string[], spec: CommandSpec): boolean {
  let help = false;
  try {
    walk(
      argv,
      spec,
      (name, def) => (help ||= !def && HELP.has(name)),
      () => {},
    );
  } catch {
    return argv.some((a) => HELP.has(a));
  }
  return help;
}

function flagLabel(f: FlagDef): string {
  return f.value === undefined ? f.name : `${f.name} ${f.value}`;
}

/** Help fits an 80-column terminal: a long meaning goes on below its flag, indented under itself. */
const COLUMNS = 80;

function wrap(lead: string, text: string): string[] {
  const out: string[] = [];
  let line = lead;
  for (const word of text.split(' ')) {
    if (line.length > lead.length && line.length + 1 + word.length > COLUMNS) {
      out.push(line);
      line = ' '.repeat(lead.length) + word;
    } else {
      line += (line.length > lead.length ? ' ' : '') + word;
    }
  }
  out.push(line);
  return out;
}

/** The text of `declutter NAME --help`, built only from the spec. */
export function formatHelp(spec: CommandSpec): string {
  const labels = spec.flags.map(flagLabel);
  const width = Math.max(10, ...labels.map((l) => l.length)) + 2;
  const lines = [`declutter ${spec.name}: ${spec.summary}`, '', `usage: declutter ${spec.name} ${spec.synopsis}`.trimEnd()];
  if (spec.about?.length) lines.push('', ...spec.about);
  lines.push('', 'options:');
  spec.flags.forEach((f, i) => lines.push(...wrap(`  ${labels[i].padEnd(width)}`, `${f.help}${f.repeats ? ' (may be repeated)' : ''}`)));
  lines.push(`  ${'-h, --help'.padEnd(width)}show this help`);
  lines.push('', spec.examples.length > 1 ? 'examples:' : 'example:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}
