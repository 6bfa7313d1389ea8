/**
 * Runs every example of the README, docs/ and deploy/k8s/README.md for real and checks every
 * documented answer against the real one, so the documentation cannot drift from the service:
 * - `sh` blocks: `curl` lines against a real `declutter serve` (on a free port, with a copy of the
 *   rules and the admin token the docs use), `node dist/cli.js` / `declutter` lines as processes;
 *   both run in a scratch directory that holds `examples/`, so output files land there.
 * - `ts` blocks: compiled and run against the built package, imported as `declutter`.
 * - a block after `<!-- answer -->` is the documented output of the command run just before it
 *   (JSON: every field shown must match; text: the printed lines, all of them; http: every header
 *   line shown must be among the real ones).
 * - a block after `<!-- file: PATH -->` must be that file of the repository, whole.
 * - a block after `<!-- not-run: why -->` is not run; jest lists it as skipped with its reason.
 * Needs `npm run build` (npm test does it).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../paths';
import { copyRules, startService, type Service } from '../reliability/service';
import { jsonMismatch, linesMismatch, undocumentedProblem } from './answers';
import { readBlocks, shellCommands, type Block } from './markdown';

const FILES = [
  'README.md',
  'deploy/k8s/README.md',
  ...readdirSync(resolve(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

/** The environment the documented service runs with (the rule-set walkthrough's admin token). */
const SERVICE_ENV = { DECLUTTER_ADMIN_TOKEN: 's3cret-admin-token' };
const SHELL = new Set(['sh', 'bash', 'shell', 'console']);
const TYPESCRIPT = new Set(['ts', 'typescript']);
/** Languages of programs: a block in one of these runs, or says why not. */
const PROGRAMS = new Set([...SHELL, ...TYPESCRIPT, 'js', 'javascript', 'mjs', 'python', 'py']);

/** A guard against a hung command, not a timing claim: a block of several CLI runs takes ~20 s on a busy machine. */
const RUN_GUARD_MS = 180_000;

interface Output {
  command: string;
  stdout: string;
}

let service: Service;
let rules: { dir: string; cleanup(): void };
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  rules = copyRules();
  work = mkdtempSync(join(tmpdir(), 'declutter-docs-'));
  symlinkSync(resolve(REPO_ROOT, 'examples'), join(work, 'examples'));
  symlinkSync(resolve(REPO_ROOT, 'dist'), join(work, 'dist'));
  // The TypeScript snippets import 'declutter': the package as npm would install it.
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(REPO_ROOT, join(work, 'node_modules', 'declutter'));
  env = { ...process.env, ...SERVICE_ENV, DECLUTTER_RULES_DIR: rules.dir, LOG_LEVEL: 'silent' };
  service = await startService({ ...SERVICE_ENV, DECLUTTER_RULES_DIR: rules.dir });
});

afterAll(async () => {
  await service?.stop();
  rules?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function run(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(file, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** `VAR=value ... command`: the assignments and the command. */
function splitEnv(command: string): { assigned: Record<string, string>; rest: string } {
  const assigned: Record<string, string> = {};
  let rest = command;
  for (let m = /^(\w+)=(\S*)\s+/.exec(rest); m; m = /^(\w+)=(\S*)\s+/.exec(rest)) {
    assigned[m[1]] = m[2];
    rest = rest.slice(m[0].length);
  }
  return { assigned, rest };
}

type Kind = 'curl' | 'cli' | 'serve' | 'npm';

function kindOf(command: string): Kind {
  const { rest } = splitEnv(command);
  if (/^curl\s/.test(rest)) return 'curl';
  if (/^(node dist\/cli\.js|declutter) serve\b/.test(rest)) return 'serve';
  if (/^(node dist\/cli\.js|declutter)(\s|$)/.test(rest)) return 'cli';
  if (/^npm\s/.test(rest)) return 'npm';
  throw new Error(`no runner for "${command}": write it as a curl or CLI line, or mark the block <!-- not-run: why -->`);
}

/** How many commands of each kind a shell block has, or why one of them cannot run. */
function tallyCommands(block: Block): Record<Kind, number> | string {
  const tally: Record<Kind, number> = { curl: 0, cli: 0, serve: 0, npm: 0 };
  try {
    for (const command of shellCommands(block.body)) tally[kindOf(command)]++;
  } catch (err) {
    return (err as Error).message;
  }
  return tally;
}

/** The test's name says what runs and what does not, so nothing is left out unseen. */
function describeTally(t: Record<Kind, number>): string {
  const parts = [t.curl && `${t.curl} curl`, t.cli && `${t.cli} CLI`, t.serve && `${t.serve} serve (the test's service, same settings)`]
    .filter(Boolean)
    .join(' + ');
  return t.npm ? `${parts} (${t.npm} npm: not run)` : parts;
}

async function runShell(block: Block, documentedLast: boolean): Promise<Output | undefined> {
  const commands = shellCommands(block.body);
  let last: Output | undefined;
  for (const [i, command] of commands.entries()) {
    const kind = kindOf(command);
    if (kind === 'npm') continue; // project scripts (build, test, start): the test suite runs on their output
    if (kind === 'serve') {
      // The service this test started is that command; what the docs set for it must be what it has.
      const { assigned } = splitEnv(command);
      for (const [name, value] of Object.entries(assigned)) expect(`${name}=${(SERVICE_ENV as Record<string, string>)[name] ?? ''}`).toBe(`${name}=${value}`);
      continue;
    }
    const line = command.replace(/(^|\|\s*)declutter\s/g, '$1node dist/cli.js ').replace(/\blocalhost:8080\b/g, `127.0.0.1:${service.port}`);
    const result = await run('bash', ['-c', line]);
    if (result.code !== 0) throw new Error(`${block.file}:${block.line}: "${command}" exited with ${result.code}: ${result.stderr}`);
    const isLast = i === commands.length - 1;
    if (kind === 'curl' && !(isLast && documentedLast)) {
      const problem = undocumentedProblem(result.stdout);
      if (problem) throw new Error(`${block.file}:${block.line}: "${command}" ${problem}`);
    }
    last = { command, stdout: result.stdout };
  }
  return last;
}

async function runTypeScript(block: Block): Promise<Output> {
  const js = ts.transpileModule(block.body, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const script = join(work, `snippet-${block.file.replace(/\W/g, '_')}-${block.line}.js`);
  writeFileSync(script, js);
  const result = await run(process.execPath, [script]);
  if (result.code !== 0) throw new Error(`${block.file}:${block.line}: the snippet exited with ${result.code}: ${result.stderr}`);
  return { command: `the snippet at ${block.file}:${block.line}`, stdout: result.stdout };
}

function checkAnswer(block: Block, last: Output | undefined): void {
  if (!last) throw new Error(`${block.file}:${block.line}: an answer block, but the command before it did not run (see its failure above)`);
  let mismatch: string | null;
  if (block.lang === 'json') {
    let actual: unknown;
    try {
      actual = JSON.parse(last.stdout);
    } catch {
      throw new Error(`${block.file}:${block.line}: documented JSON, but "${last.command}" printed: ${last.stdout}`);
    }
    mismatch = jsonMismatch(JSON.parse(block.body), actual);
  } else mismatch = linesMismatch(block.body, last.stdout, block.lang !== 'http');
  if (mismatch) throw new Error(`${block.file}:${block.line}: the answer of "${last.command}" is not what the docs show: ${mismatch}`);
}

for (const file of FILES) {
  describe(file, () => {
    const blocks = readBlocks(file, resolve(REPO_ROOT, file));
    let last: Output | undefined;
    blocks.forEach((block, i) => {
      const name = `${file}:${block.line} (${block.lang || 'text'})`;
      if (block.notRun !== undefined) {
        test.skip(`${name} not run: ${block.notRun}`, () => undefined);
        return;
      }
      const documentedNext = blocks[i + 1]?.answer === true;
      if (block.shows) {
        const shown = block.shows;
        test(`${name} is ${shown}`, () => expect(block.body.trim()).toBe(readFileSync(resolve(REPO_ROOT, shown), 'utf8').trim()));
      } else if (block.answer) test(`${name} is the real answer`, () => checkAnswer(block, last));
      else if (SHELL.has(block.lang)) {
        const tally = tallyCommands(block);
        if (typeof tally === 'string')
          test(`${name} has a runner`, () => {
            throw new Error(`${name}: ${tally}`);
          });
        else if (!tally.curl && !tally.cli && !tally.serve)
          test.skip(`${name} not run: npm scripts only (the test suite runs on what they build)`, () => undefined);
        else
          test(
            `${name} runs ${describeTally(tally)}`,
            async () => {
              last = undefined;
              last = await runShell(block, documentedNext);
            },
            RUN_GUARD_MS,
          );
      } else if (TYPESCRIPT.has(block.lang))
        test(
          `${name} runs`,
          async () => {
            last = undefined;
            last = await runTypeScript(block);
          },
          RUN_GUARD_MS,
        );
      else if (PROGRAMS.has(block.lang))
        test(`${name} has a runner`, () => {
          throw new Error(`${name}: no runner for ${block.lang}; mark it <!-- not-run: why -->`);
        });
    });
  });
}
