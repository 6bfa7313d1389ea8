/** A small, strict argument parser: unknown flags are errors, not silently ignored. */

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export interface FlagSpec {
  /** Flags taking a value; `multi` ones may repeat. */
  values?: string[];
  multi?: string[];
  /** Flags without a value. */
  booleans?: string[];
}

export interface ParsedArgs {
  positional: string[];
  values: Record<string, string>;
  multi: Record<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const values = new Set(spec.values ?? []);
  const multi = new Set(spec.multi ?? []);
  const booleans = new Set(spec.booleans ?? []);
  const out: ParsedArgs = { positional: [], values: {}, multi: {}, flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-' || !arg.startsWith('-')) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (booleans.has(name)) {
      out.flags.add(name);
      continue;
    }
    if (values.has(name) || multi.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new CliError(`${name} needs a value`);
      if (multi.has(name)) (out.multi[name] ??= []).push(value);
      else out.values[name] = value;
      continue;
    }
    throw new CliError(`unknown option ${name}`);
  }
  return out;
}
