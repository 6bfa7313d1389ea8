/**
 * `declutter rulesets import|export` against a throwaway PostgreSQL (test/pg-cluster.ts): the
 * packaged sets go in with their history and come back out as the same files.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { freePort, postgresAvailable, startCluster, type PgCluster } from '../pg-cluster';
import { CLI, REPO_ROOT } from '../paths';

const available = postgresAvailable('the rulesets import/export test');

/** Asynchronous, so the database in this process's test keeps answering while the CLI runs. */
function declutter(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

const lines = (s: string) => s.split('\n').filter(Boolean).sort();

describe('declutter rulesets: arguments', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
  });

  it('refuses a missing action, directory or store with one line and exit 2', async () => {
    for (const [args, message] of [
      [['rulesets'], /give import or export/],
      [['rulesets', 'import'], /give the rules directory to import from/],
      [['rulesets', 'export', 'out'], /give --store postgres:\/\/\.\.\. \(or set DECLUTTER_STORE\)/],
      [['rulesets', 'import', 'rules', '--store', 'mysql://x'], /--store must be a PostgreSQL URL/],
    ] as const) {
      const r = await declutter([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^declutter rulesets: ${message.source}[^\\n]*\\n$`));
    }
  });

  it('says in one line, exit 1, when the database cannot be reached', async () => {
    const port = await freePort();
    const r = await declutter(['rulesets', 'import', resolve(REPO_ROOT, 'rules'), '--store', `postgres://nobody@127.0.0.1:${port}/none`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^declutter rulesets: cannot reach the store postgres://127\\.0\\.0\\.1:${port}/none: [^\\n]+\\n$`));
  });
});

(available ? describe : describe.skip)('declutter rulesets import and export', () => {
  let cluster: PgCluster;
  let work: string;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
    cluster = await startCluster();
    work = mkdtempSync(join(tmpdir(), 'declutter-transfer-'));
  });
  afterAll(async () => {
    await cluster?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('imports a directory with its history, leaves an unchanged set alone, and exports the same files back', async () => {
    const url = await cluster.createDatabase('transfer');
    const source = join(work, 'source');
    cpSync(resolve(REPO_ROOT, 'rules'), source, { recursive: true });
    const shipped = readFileSync(join(source, 'default.yaml'), 'utf8');
    const version = (YAML.parse(shipped) as { version: number }).version;
    // A set saved twice through the file store: its history comes along.
    const news = { id: 'news', version: 2, extends: 'default', rules: [] };
    mkdirSync(join(source, '.history', 'news'), { recursive: true });
    writeFileSync(join(source, '.history', 'news', '1.yaml'), YAML.stringify({ ...news, version: 1, description: 'first' }));
    writeFileSync(join(source, 'news.yaml'), YAML.stringify(news));
    writeFileSync(join(source, 'broken.yaml'), 'id: broken\nrules: [ {\n');

    const first = await declutter(['rulesets', 'import', source, '--store', url]);
    expect(lines(first.stdout)).toEqual([`created default@${version}`, 'created news@2']);
    expect(first.stderr).toMatch(/^declutter rulesets: refused .*broken\.yaml: /);
    expect(first.code).toBe(1); // something was refused; the rest went in

    rmSync(join(source, 'broken.yaml'));
    const again = await declutter(['rulesets', 'import', source], { DECLUTTER_STORE: url });
    expect([again.code, lines(again.stdout)]).toEqual([0, [`unchanged default@${version}`, 'unchanged news@2']]);

    const target = join(work, 'target');
    const out = await declutter(['rulesets', 'export', target, '--store', url]);
    expect([out.code, lines(out.stdout)]).toEqual([0, [`written default@${version}`, 'written news@2']]);
    // Verbatim: comments and layout of the shipped file survive the round trip.
    expect(readFileSync(join(target, 'default.yaml'), 'utf8')).toBe(shipped);
    expect(YAML.parse(readFileSync(join(target, '.history', 'news', '1.yaml'), 'utf8'))).toMatchObject({ description: 'first' });
    expect(readFileSync(join(target, 'news.yaml'), 'utf8')).toBe(readFileSync(join(source, 'news.yaml'), 'utf8'));
    const twice = await declutter(['rulesets', 'export', target, '--store', url]);
    expect(lines(twice.stdout)).toEqual([`unchanged default@${version}`, 'unchanged news@2']);
  });

  it('an imported set that the store has at a higher version becomes the next version', async () => {
    const url = await cluster.createDatabase('renumber');
    const dir = join(work, 'renumber');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x.yaml'), YAML.stringify({ id: 'x', version: 5, description: 'five', rules: [] }));
    expect((await declutter(['rulesets', 'import', dir, '--store', url])).stdout).toBe('created x@5\n');
    writeFileSync(join(dir, 'x.yaml'), YAML.stringify({ id: 'x', version: 2, description: 'an older copy, edited', rules: [] }));
    expect((await declutter(['rulesets', 'import', dir, '--store', url])).stdout).toBe('updated x@6\n');
    const out = join(work, 'renumber-out');
    await declutter(['rulesets', 'export', out, '--store', url]);
    expect(YAML.parse(readFileSync(join(out, 'x.yaml'), 'utf8'))).toMatchObject({ version: 6, description: 'an older copy, edited' });
  });
});
