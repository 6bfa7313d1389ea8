/**
 * Input that is not NDJSON documents is cheap to refuse: each error line is small whatever the
 * line held, and a run of DECLUTTER_BATCH_MAX_BAD_LINES bad lines ends the batch with one summary
 * line, without reading the rest (pipeline, HTTP and CLI).
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { resolve } from 'node:path';
import { defaultRuleSet } from '../../src';
import { ndjsonItems, type PipelineItem } from '../../src/batch';
import { MAX_DETAIL_CHARS } from '../../src/batch/errors';
import { REPO_ROOT } from '../paths';
import { parseLines, requireBuild, startTestServer } from './server-helpers';

const source = { get: () => undefined, forUrl: () => defaultRuleSet(), compileInline: () => defaultRuleSet() };

/** Chunks of `lines`, counting how many were taken. */
function chunksOf(lines: string[], taken: { n: number }): AsyncIterable<string> {
  return (async function* () {
    for (const line of lines) {
      taken.n++;
      yield `${line}\n`;
    }
  })();
}

async function collect(lines: string[], maxBadLines?: number): Promise<{ items: PipelineItem[]; taken: number }> {
  const taken = { n: 0 };
  const items: PipelineItem[] = [];
  for await (const item of ndjsonItems(chunksOf(lines, taken), { source, defaults: {}, maxLineBytes: 1 << 20, maxBadLines })) items.push(item);
  return { items, taken: taken.n };
}

const codes = (items: PipelineItem[]) => items.map((i) => ('error' in i.prepared ? i.prepared.error.code : 'ok'));

describe('bad lines in a row', () => {
  it('end the batch after the limit with one summary line, leaving the rest unread', async () => {
    const { items, taken } = await collect(
      Array.from({ length: 1_000_000 }, () => '{bad json'),
      100,
    );
    expect(items).toHaveLength(101);
    expect(
      codes(items)
        .slice(0, 100)
        .every((c) => c === 'malformed-json'),
    ).toBe(true);
    const last = items[100].prepared as { id: unknown; error: { code: string; status: number; detail: string; line: number } };
    expect(last).toMatchObject({ id: null, error: { code: 'too-many-bad-lines', status: 422, line: 100 } });
    expect(last.error.detail).toContain('lines from 101 on were not read');
    expect(taken).toBe(100);
  });

  it('count only lines in a row: a good line starts the count again; 0 never ends', async () => {
    const bad = (n: number) => Array.from({ length: n }, () => '[1,2]');
    const good = '{"id":"g","text":"The article."}';
    expect(codes((await collect([...bad(2), good, ...bad(2), good], 3)).items)).not.toContain('too-many-bad-lines');
    expect(codes((await collect(bad(500), 0)).items)).toHaveLength(500);
    expect(codes((await collect(bad(500))).items)).toHaveLength(500);
  });

  it('keep each error line small, whatever the line quoted', async () => {
    const { items } = await collect([JSON.stringify({ id: 'x', text: 'a', ruleset: 'n'.repeat(500_000) })], 100);
    const error = (items[0].prepared as { error: { code: string; detail: string } }).error;
    expect(error.code).toBe('unknown-ruleset');
    expect(error.detail.length).toBeLessThan(MAX_DETAIL_CHARS + 100);
    expect(error.detail).toMatch(/… \(\d+ more characters\)$/);
  });
});

describe('over HTTP and in the CLI', () => {
  const lines = Array.from({ length: 200_000 }, () => '{bad json');
  const body = `${lines.join('\n')}\n`;

  beforeAll(() => requireBuild());

  it('POST /v1/clean/batch answers at most the limit of error lines and one summary, far smaller than the input', async () => {
    const server = await startTestServer({ DECLUTTER_WORKERS: '1', DECLUTTER_BATCH_MAX_BAD_LINES: '50' });
    try {
      // The service stops reading and closes once it has answered: the client may see its upload cut off.
      const answer = await new Promise<string>((done, fail) => {
        const chunks: Buffer[] = [];
        const req = http.request(`${server.url}/v1/clean/batch`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' } }, (res) => {
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
          res.on('error', () => done(Buffer.concat(chunks).toString('utf8')));
        });
        req.on('error', (e) => (chunks.length ? done(Buffer.concat(chunks).toString('utf8')) : fail(e)));
        req.end(body);
      });
      const out = parseLines(answer);
      expect(out).toHaveLength(51);
      expect(out[50].error).toMatchObject({ code: 'too-many-bad-lines', line: 50 });
      expect(answer.length).toBeLessThan(body.length / 10);
    } finally {
      await server.close();
    }
  });

  it('declutter batch writes the lines, says why it stopped on one stderr line and exits 1', () => {
    const r = spawnSync(process.execPath, [resolve(REPO_ROOT, 'dist', 'cli.js'), 'batch', '-'], {
      input: body,
      encoding: 'utf8',
      env: { ...process.env, DECLUTTER_RULES_DIR: '', DECLUTTER_BATCH_MAX_BAD_LINES: '20' },
    });
    expect(r.status).toBe(1);
    const out = parseLines(r.stdout);
    expect(out).toHaveLength(21);
    expect(out[20].error.code).toBe('too-many-bad-lines');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('stopped after 20 bad lines in a row')]);
  });
});
