/**
 * HTML documents in batches: which of `text` and `html` a line is cleaned from (the rule in
 * src/requests/document.ts), format=html, and the HTTP batch and the CLI answering the same lines alike.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { defaultRuleSet } from '../../src';
import { InlineSetCache, prepareValue, type BatchDefaults, type RuleSetSource } from '../../src/batch';
import { cleanOne } from '../../src/batch/clean-one';
import { executableConstructs } from '../engine/html/xss';
import { CLI, READABILITY_DEV, REPO_ROOT } from '../paths';
import { parseLines, post, requireBuild, startTestServer, type TestServer } from './server-helpers';

const set = defaultRuleSet();
const source: RuleSetSource = { get: (id) => (id === 'default' ? set : undefined), forUrl: () => set, compileInline: () => set };

function prepare(value: unknown, defaults: BatchDefaults = {}) {
  return prepareValue(value, 1, new InlineSetCache(source), defaults);
}

const PAGE =
  '<html><body><nav><a href="/">Home</a></nav><article><p>The story of the page, told in a long enough sentence to be kept.</p><p>Advertisement</p></article><script>alert(1)</script></body></html>';
const TEXT = 'The scraped text of the page.';

describe('which field a line is cleaned from', () => {
  it.each<[string, Record<string, unknown>, BatchDefaults, 'text' | 'html' | string]>([
    ['only text', { text: TEXT }, {}, 'text'],
    ['only html', { html: PAGE }, {}, 'html'],
    ['both: text wins by default', { text: TEXT, html: PAGE }, {}, 'text'],
    ['both, the batch prefers html', { text: TEXT, html: PAGE }, { input: 'html' }, 'html'],
    ['only text, the batch prefers html: text', { text: TEXT }, { input: 'html' }, 'text'],
    ['both, the line asks for html', { text: TEXT, html: PAGE, options: { input: 'html' } }, {}, 'html'],
    ['both, the line asks for text against the batch', { text: TEXT, html: PAGE, options: { input: 'text' } }, { input: 'html' }, 'text'],
    [
      'the line asks for html it does not have',
      { text: TEXT, options: { input: 'html' } },
      {},
      'error: field "options/input" is "html" but the line has no "html"',
    ],
    ['an unknown input', { text: TEXT, options: { input: 'pdf' } }, {}, 'error: field "options/input" must be one of text, html'],
    ['html not a string', { html: 42 }, {}, 'error: field "html" must be a string'],
    ['neither', { id: 'x' }, {}, 'error: field "text" is required (or "html" for a page)'],
  ])('%s', (_name, line, defaults, expected) => {
    const p = prepare(line, defaults);
    if (expected.startsWith('error: ')) {
      expect('error' in p && p.error).toMatchObject({ code: 'invalid-request', status: 422, detail: expect.stringContaining(expected.slice(7)) });
      return;
    }
    if (!('doc' in p)) throw new Error(`unexpected error ${JSON.stringify(p)}`);
    expect(p.doc.kind ?? 'text').toBe(expected);
    expect(p.doc.text).toBe(expected === 'html' ? PAGE : TEXT);
  });

  it('format: the line, else the batch; an unknown one is an error', () => {
    const doc = (v: unknown, d: BatchDefaults = {}) => {
      const p = prepare(v, d);
      return 'doc' in p ? p.doc : p.error;
    };
    expect(doc({ html: PAGE, options: { format: 'html' } })).toMatchObject({ format: 'html' });
    expect(doc({ html: PAGE }, { format: 'html' })).toMatchObject({ format: 'html' });
    expect(doc({ html: PAGE, options: { format: 'text' } }, { format: 'html' })).not.toHaveProperty('format');
    expect(doc({ text: TEXT, options: { format: 'xml' } })).toMatchObject({ code: 'invalid-request', detail: expect.stringContaining('options/format') });
  });
});

describe('POST /v1/clean/batch with pages', () => {
  let server: TestServer;
  const url = (query = '') => `${server.url}/v1/clean/batch${query}`;

  beforeAll(async () => {
    requireBuild();
    server = await startTestServer({ DECLUTTER_WORKERS: '2' });
  });
  afterAll(() => server?.close());

  const lines = [
    { id: 'page', html: PAGE },
    { id: 'both', text: TEXT, html: PAGE },
    { id: 'both-asks-html', text: TEXT, html: PAGE, options: { input: 'html', format: 'html' } },
    { id: 'text', text: 'Advertisement\nA text line that stays.' },
  ];
  const ndjson = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

  it('cleans {id, html} lines as pages, with source offsets; text wins on a line with both', async () => {
    const reply = await post(url(), ndjson);
    expect(reply.status).toBe(200);
    const out = parseLines(reply.body);
    expect(out.map((o) => o.id)).toEqual(lines.map((l) => l.id));
    const page = cleanOne(PAGE, 'html', set);
    expect(out[0].text).toBe(page.text);
    expect(out[0].removed).toEqual(page.removed);
    for (const r of out[0].removed) expect(PAGE.slice(r.start, r.end)).toBe(r.text);
    expect(out[0].removed.some((r: { path?: string }) => typeof r.path === 'string')).toBe(true);
    expect(out[1].text).toBe(TEXT);
    expect(out[2].text).toBe(page.text);
    expect(out[2].html).toMatch(/<p>The story of the page/);
    expect(executableConstructs(out[2].html)).toEqual([]);
    expect(out[3].text).toBe('A text line that stays.');
    expect(out[3].html).toBeUndefined();
  });

  it('?input=html prefers the page, ?format=html adds the article to every result', async () => {
    const out = parseLines((await post(url('?input=html&format=html'), ndjson)).body);
    const page = cleanOne(PAGE, 'html', set);
    expect(out.map((o) => o.text)).toEqual([page.text, page.text, page.text, 'A text line that stays.']);
    expect(out.every((o) => typeof o.html === 'string')).toBe(true);
    expect(out[3].html).toBe('<p>A text line that stays.</p>');
  });

  it('refuses unknown values of input and format before any line', async () => {
    const r = await post(url('?input=pdf'), ndjson);
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body)).toMatchObject({ code: 'invalid-request', errors: [expect.objectContaining({ field: 'input' })] });
  });

  it('the JSON form takes pages too', async () => {
    const r = await post(url(), JSON.stringify({ documents: lines }), 'application/json');
    expect(r.status).toBe(200);
    const { results } = JSON.parse(r.body);
    expect(results.map((o: { id: string }) => o.id)).toEqual(lines.map((l) => l.id));
    expect(results[0].text).toBe(cleanOne(PAGE, 'html', set).text);
  });

  it('declutter batch answers the same lines alike (--html is ?input=html, --format html is ?format=html)', async () => {
    const http = parseLines((await post(url('?input=html&format=html'), ndjson)).body);
    const r = spawnSync(process.execPath, [CLI, 'batch', '-', '--html', '--format', 'html', '--concurrency', '1'], {
      input: ndjson,
      encoding: 'utf8',
      cwd: REPO_ROOT,
      env: { ...process.env, DECLUTTER_RULES_DIR: '' },
    });
    expect(r.status).toBe(0);
    const cli = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const strip = (o: { stats?: unknown }) => ({ ...o, stats: undefined });
    expect(cli.map(strip)).toEqual(http.map(strip));
  });

  it("a labelled set runs as it is: --html cleans each line's page", () => {
    const set = readFileSync(READABILITY_DEV, 'utf8').split('\n').filter(Boolean).slice(0, 3).join('\n');
    const r = spawnSync(process.execPath, [CLI, 'batch', '-', '--html', '--concurrency', '1'], {
      input: set,
      encoding: 'utf8',
      cwd: REPO_ROOT,
      env: { ...process.env, DECLUTTER_RULES_DIR: '' },
    });
    expect(r.status).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const docs = set.split('\n').map((l) => JSON.parse(l) as { id: string; html: string });
    expect(out.map((o) => o.id)).toEqual(docs.map((d) => d.id));
    out.forEach((o, i) => {
      expect(o.error).toBeUndefined();
      for (const r of o.removed) expect(docs[i].html.slice(r.start, r.end)).toBe(r.text);
    });
  }, 60_000);
});
