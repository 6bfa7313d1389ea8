/** `declutter clean --html`: pages read as bytes and decoded as the HTTP service decodes them. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executableConstructs } from '../engine/html/xss';
import { CLI, REPO_ROOT } from '../paths';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
});

function declutter(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', cwd: REPO_ROOT, env: { ...process.env, DECLUTTER_RULES_DIR: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'declutter-cli-html-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const PAGE =
  '<!doctype html><html><head><title>T</title><script>var x = 1;</script></head><body><article><h1>Budget passes</h1><p>The council passed the budget after a long debate on Tuesday evening.</p><p>Advertisement</p><p>Two <a href="javascript:alert(1)" onclick="x()">bridges</a> will be repaired.</p></article></body></html>';

describe('declutter clean --html', () => {
  test('prints the article text of a page file', () => {
    const r = declutter(['clean', file('page.html', PAGE), '--html']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The council passed the budget');
    expect(r.stdout).not.toMatch(/var x|^Advertisement$/m);
  });

  test('--json: the whole result, offsets into the page source', () => {
    const r = declutter(['clean', '-', '--html', '--json'], PAGE);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.removed.length).toBeGreaterThan(0);
    for (const x of result.removed) expect(PAGE.slice(x.start, x.end)).toBe(x.text);
    expect(result.html).toBeUndefined();
  });

  test("--format html prints the sanitised article; with --json it is the result's html", () => {
    const r = declutter(['clean', '-', '--html', '--format', 'html'], PAGE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/<h1>Budget passes<\/h1>/);
    expect(executableConstructs(r.stdout)).toEqual([]);
    const j = JSON.parse(declutter(['clean', '-', '--html', '--format', 'html', '--json'], PAGE).stdout);
    expect(j.html).toBe(r.stdout.replace(/\n$/, ''));
  });

  test('--format html on text input: escaped paragraphs', () => {
    const r = declutter(['clean', '-', '--format', 'html'], 'Advertisement\nWe know 1 < 2 & "that" is true.\nMore.');
    expect(r.code).toBe(0);
    // Which lines the scorer keeps is its business; every kept line is one escaped paragraph.
    expect(r.stdout.startsWith('<p>We know 1 &lt; 2 &amp; &quot;that&quot; is true.</p>\n')).toBe(true);
    expect(r.stdout).not.toContain('Advertisement');
    for (const line of r.stdout.trimEnd().split('\n')) expect(line).toMatch(/^<p>[^<>]*<\/p>$/);
  });

  test('reads the bytes: a windows-1252 page declared by its meta', () => {
    const bytes = Buffer.from(
      '<html><head><meta charset="windows-1252"></head><body><p>\x93Caf\xe9\x94 \x96 a na\xefve price of \x805.</p></body></html>',
      'latin1',
    );
    const r = declutter(['clean', file('cp1252.html', bytes), '--html']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('“Café” – a naïve price of €5.\n');
  });

  test('--charset overrides the meta; an unknown one is one line on stderr and exit 2', () => {
    const bytes = Buffer.concat([
      Buffer.from('<meta charset="windows-1252"><p>', 'latin1'),
      Buffer.from('Привет, мир.', 'utf8'),
      Buffer.from('</p>', 'latin1'),
    ]);
    const path = file('mislabelled.html', bytes);
    expect(declutter(['clean', path, '--html', '--charset', 'utf-8']).stdout).toBe('Привет, мир.\n');
    const bad = declutter(['clean', path, '--html', '--charset', 'klingon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^declutter clean: charset "klingon" is not supported/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a UTF-16 page with a BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<p>Ünïcödé page in UTF-16, a full sentence.</p>', 'utf16le')]);
    expect(declutter(['clean', file('utf16.html', bytes), '--html']).stdout).toBe('Ünïcödé page in UTF-16, a full sentence.\n');
  });

  test('malformed pages still answer', () => {
    for (const junk of ['<<<>>> <p>Text in soup.<div><p>unclosed <b>tags', Buffer.from([0xff, 0x3c, 0x70, 0x3e, 0xfe, 0x00, 0x41])]) {
      const r = declutter(['clean', '-', '--html', '--json'], junk);
      expect(r.code).toBe(0);
      expect(typeof JSON.parse(r.stdout).text).toBe('string');
    }
  });

  test('usage errors: --charset without --html, an unknown --format', () => {
    const a = declutter(['clean', '-', '--charset', 'utf-8'], 'text');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--charset applies to HTML input/);
    const b = declutter(['clean', '-', '--format', 'pdf'], 'text');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--format is text or html/);
  });
});

describe('declutter eval --html', () => {
  const article = 'The council passed the budget after a long debate on Tuesday evening, and the mayor thanked the members for their patience.';
  const page = `<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><p>${article}</p></article><footer>Privacy Policy</footer></body></html>`;

  test('scores the pages of a labelled set, with the inputs counted in HTML characters', () => {
    const set = file('set.jsonl', JSON.stringify({ id: 'p1', text: 'unused', html: page, gold: article }) + '\n');
    const r = declutter(['eval', '--set', set, '--html', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.shingle.docs).toBe(1);
    expect(report.shingle.recall).toBe(1);
    expect(report.inputChars).toBe(page.length);
  });

  test('names the first document without a page and exits 1', () => {
    const set = file('nohtml.jsonl', JSON.stringify({ id: 'only-text', text: article, gold: article }) + '\n');
    const r = declutter(['eval', '--set', set, '--html']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('only-text');
  });
});
