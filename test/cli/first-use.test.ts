/**
 * What a newcomer meets first: a closed pipe, binary or HTML input to `clean`, a wrong `eval`
 * set, and `npx declutter` from a checkout. Each ends in the output or one line, never a stack.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO_ROOT } from '../paths';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
});

const ENV = { ...process.env, DECLUTTER_RULES_DIR: '' };

function declutter(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input: input ?? '', encoding: 'utf8', cwd: REPO_ROOT, env: ENV });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line on stderr, nothing on stdout, the given exit code. */
function expectOneLineError(r: ReturnType<typeof declutter>, code: number, message: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

const dir = mkdtempSync(join(tmpdir(), 'declutter-first-use-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/**
 * Runs the CLI with stdout read by something that closes it after the first line, as `| head -1`
 * does; `feed` keeps writing standard input until the process ends, never closing it.
 */
function firstLineThenClose(args: string[], feed?: Buffer): Promise<{ code: number | null; firstLine: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let exited = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => {}); // the child stops reading: expected
    if (feed) {
      const write = () => {
        while (!exited && child.stdin.writable && child.stdin.write(feed));
      };
      child.stdin.on('drain', write);
      write();
    } else {
      child.stdin.end();
    }
    child.on('error', reject);
    child.on('close', (code) => {
      exited = true;
      child.stdin.destroy();
      resolve({ code, firstLine: out.split('\n')[0], stderr });
    });
  });
}

describe('a reader that closes the pipe (| head -1)', () => {
  test('clean ends quietly with exit 0', async () => {
    // Far more than a pipe holds, so the write meets the closed pipe.
    const big = file('big.txt', 'The council passed the budget after a long debate on Tuesday.\n'.repeat(40_000));
    const r = await firstLineThenClose(['clean', big]);
    expect(r).toEqual({ code: 0, firstLine: 'The council passed the budget after a long debate on Tuesday.', stderr: '' });
  });

  test('batch stops reading an endless input and ends quietly with exit 0', async () => {
    const line = Buffer.from('{"id":"a","text":"Advertisement\\nThe council passed the budget."}\n'.repeat(500));
    const r = await firstLineThenClose(['batch', '--concurrency', '1'], line);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.firstLine)).toMatchObject({ id: 'a', text: 'The council passed the budget.' });
  });
});

describe('clean refuses input that is no text', () => {
  test.each([
    ['NUL bytes', Buffer.from('PNG\x00\x00\x00\x0dIHDR some text after', 'latin1'), /NUL bytes/],
    ['mostly invalid UTF-8', Buffer.from(Array.from({ length: 4000 }, (_, i) => (i % 3 === 0 ? 0x41 : 0x80 + (i % 64)))), /% of it is not valid UTF-8/],
    ['UTF-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Some text.', 'utf16le')]), /UTF-16/],
  ])('%s: one line, exit 1', (_, bytes, message) => {
    expectOneLineError(declutter(['clean', file('binary.bin', bytes)]), 1, message);
    expectOneLineError(declutter(['clean', '-'], bytes), 1, /the input does not look like text/);
  });

  test('text with a few bytes of another encoding is still cleaned', () => {
    const latin1 = Buffer.from('Le conseil a voté le budget après un long débat mardi soir.\n', 'latin1');
    const r = declutter(['clean', '-'], latin1);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Le conseil a vot');
  });
});

describe('clean given HTML without --html', () => {
  const page =
    '<!DOCTYPE html>\n<html><head><title>T</title></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Budget passes</h1><p>The council passed the budget after a long debate on Tuesday evening, with many members voting.</p></article></body></html>';

  test.each([
    ['a doctype', page],
    ['a BOM and white space before <html>', '\ufeff \n\t' + page.replace('<!DOCTYPE html>\n', '')],
  ])('starting with %s: cleaned as a page, with a note on stderr naming --text', (_, html) => {
    const r = declutter(['clean', file('page.html', html)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The council passed the budget');
    expect(r.stdout).not.toMatch(/Home|<p>/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/HTML page.*--text/);
    expect(r.stdout).toBe(declutter(['clean', '--html', file('page.html', html)]).stdout);
  });

  test('--text cleans it as text, silently', () => {
    const r = declutter(['clean', '--text', '-'], page);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // The menu survives: the text rules do not see the <nav> around it.
    expect(r.stdout).toContain('Home News');
  });

  test('text that merely mentions <html> later is text', () => {
    const r = declutter(['clean', '-'], 'How to write a page.\nStart it with <html> and end it with </html>.\n');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('How to write a page.');
  });

  test('--html with --text is a wrong invocation', () => {
    expectOneLineError(declutter(['clean', '--html', '--text', '-'], page), 2, /--html and --text/);
  });
});

describe('eval with a set it cannot use', () => {
  test.each([
    ['a directory', () => dir, /is a directory/],
    ['a missing file', () => join(dir, 'missing.jsonl'), /no such file/],
    ['a line that is not JSON', () => file('bad.jsonl', '{"id":"a","text":"x"}\nnot json\n'), /bad\.jsonl:2: not JSON/],
    ['an empty set', () => file('empty.jsonl', '\n\n'), /holds no documents/],
  ])('%s: one line, exit 1', (_, path, message) => {
    expectOneLineError(declutter(['eval', '--set', path()]), 1, message);
  });

  test('train refuses an empty set the same way', () => {
    expectOneLineError(declutter(['train', '--set', file('empty2.jsonl', ''), '--out', join(dir, 'm.yaml')]), 1, /holds no documents/);
  });
});

describe('the declutter bin of a checkout', () => {
  test('package.json names dist/cli.js, which the build makes executable with a shebang', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin.declutter).toBe('dist/cli.js');
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
  });

  test('runs as a program of its own, as npx and npm link run it', () => {
    const r = spawnSync(CLI, ['--help'], { encoding: 'utf8', cwd: REPO_ROOT });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('declutter <command> --help');
  });
});
