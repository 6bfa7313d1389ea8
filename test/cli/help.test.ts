/**
 * `declutter <command> --help` is printed from the spec the parser reads, so the two agree: every
 * flag a command accepts is in its help, every flag in its help is accepted, and every flag the
 * command's code reads is declared.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, formatHelp, parseArgs, wantsHelp, type CommandSpec } from '../../src/cli/args';
import { SPECS } from '../../src/cli/specs';
import { CLI, REPO_ROOT } from '../paths';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
});

function declutter(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: REPO_ROOT, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The flags the help text lists, read back from the text as a user reads it. */
function flagsInHelp(help: string): string[] {
  return [...help.matchAll(/^ {2}(?:-h, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]);
}

/** A valid argv for one flag: with a value when its help shows a placeholder. */
function use(spec: CommandSpec, flag: string): string[] {
  return spec.flags.find((f) => f.name === flag)?.value === undefined ? [flag] : [flag, 'x'];
}

const commands = Object.values(SPECS).map((s) => [s.name, s] as const);

describe.each(commands)('declutter %s', (name, spec) => {
  test('--help and -h print the help from the spec, exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const r = declutter([name, flag]);
      expect(r).toEqual({ code: 0, stdout: formatHelp(spec), stderr: '' });
    }
  });

  test('--help after other options, even an unknown one, still prints the help', () => {
    expect(declutter([name, '--nonsense', '--help']).stdout).toBe(formatHelp(spec));
  });

  test('the help lists exactly the flags the parser accepts, each with a meaning', () => {
    const help = formatHelp(spec);
    expect(flagsInHelp(help).sort()).toEqual([...spec.flags.map((f) => f.name), '--help'].sort());
    for (const flag of flagsInHelp(help).filter((f) => f !== '--help')) {
      expect(() => parseArgs(use(spec, flag), spec)).not.toThrow();
      expect(spec.flags.find((f) => f.name === flag)!.help.length).toBeGreaterThan(10);
    }
    expect(() => parseArgs(['--not-in-the-help'], spec)).toThrow(CliError);
    expect(help).toMatch(/^examples?:\n {2}.*declutter /m);
  });

  test("every flag the command's code reads is declared in its spec", () => {
    const source = readFileSync(join(REPO_ROOT, 'src', 'cli', 'commands', `${name}.ts`), 'utf8');
    const read = [...source.matchAll(/args\.(?:values|multi)\['(--[a-z-]+)'\]|args\.flags\.has\('(--[a-z-]+)'\)/g)].map((m) => m[1] ?? m[2]);
    const declared = spec.flags.map((f) => f.name as string);
    for (const flag of new Set(read)) expect(declared).toContain(flag);
  });
});

describe('declutter --help', () => {
  test('lists every command with its summary and says how to get a command’s help', () => {
    const r = declutter(['--help']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.trim().split(/ {2,}/));
    for (const spec of Object.values(SPECS)) expect(lines).toContainEqual([spec.name, spec.summary]);
    expect(r.stdout).toContain('declutter <command> --help');
  });

  test('help COMMAND is the same as COMMAND --help', () => {
    expect(declutter(['help', 'batch']).stdout).toBe(formatHelp(SPECS.batch));
  });

  test('no command at all: the usage on stderr, exit 2', () => {
    const r = declutter([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('declutter <command> --help');
  });
});

describe('parseArgs', () => {
  const spec = SPECS.clean;

  test('a value that looks like -h belongs to its flag, and is not a request for help', () => {
    expect(wantsHelp(['--id', '-h'], spec)).toBe(false);
    expect(parseArgs(['--id', '-h'], spec).values['--id']).toBe('-h');
  });

  test('after --, everything is a file name', () => {
    expect(wantsHelp(['--', '--help'], spec)).toBe(false);
    expect(parseArgs(['--', '-odd-name'], spec).positional).toEqual(['-odd-name']);
  });

  test('a flag without a value refuses one, and one with a value needs it', () => {
    expect(() => parseArgs(['--json=yes'], spec)).toThrow(/--json takes no value/);
    expect(() => parseArgs(['--ruleset'], spec)).toThrow(/--ruleset needs a value/);
  });

  test('repeatable flags collect every value', () => {
    expect(parseArgs(['--set', 'a', '--set=b'], SPECS.train).multi['--set']).toEqual(['a', 'b']);
  });
});

describe('the README', () => {
  test("its command-line table names every command's every flag", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Command line'), readme.indexOf('\n### ', readme.indexOf('### Command line') + 1));
    for (const spec of Object.values(SPECS)) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${spec.name}`));
      expect(row).toBeDefined();
      for (const flag of spec.flags) expect(row).toMatch(new RegExp(`${flag.name}\\b`));
    }
  });
});
