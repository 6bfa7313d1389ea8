/**
 * The WARC and WET routes give the NDJSON route's results on the same dev pages: `declutter batch`
 * on a .warc.gz and a .wet file, and POST /v1/clean/batch with Content-Type: application/warc; the
 * damaged records get their error lines, the skipped ones none. WARC output refers to its sources.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WARCParser } from 'warcio';
import { CLI, REPO_ROOT } from '../paths';
import { parseLines, post, requireBuild, startTestServer, type TestServer } from './server-helpers';
import { devPages, warcOfPages, wetOfPages, type DevPage, type WarcFixture } from './warc-data';

const pages = devPages(6);
const dir = mkdtempSync(join(tmpdir(), 'declutter-warc-'));
let fixture: WarcFixture;
let wet: Buffer;
let server: TestServer;

beforeAll(async () => {
  requireBuild();
  fixture = await warcOfPages(pages);
  wet = await wetOfPages(pages);
  writeFileSync(join(dir, 'dev.warc.gz'), fixture.data);
  writeFileSync(join(dir, 'dev.wet'), wet);
  writeFileSync(join(dir, 'html.jsonl'), fixture.good.map((p) => JSON.stringify({ id: p.id, url: p.url, html: p.html })).join('\n') + '\n');
  writeFileSync(join(dir, 'text.jsonl'), pages.map((p) => JSON.stringify({ id: p.id, url: p.url, text: p.text })).join('\n') + '\n');
  server = await startTestServer({ DECLUTTER_WORKERS: '2' });
}, 60_000);
afterAll(() => server?.close());

function declutter(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 28, env: { ...process.env, DECLUTTER_RULES_DIR: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** A result without its timing, the one field that differs from run to run. */
function comparable(result: Record<string, any>) {
  const { stats, ...rest } = result;
  if (!stats) return result;
  const { elapsedMs: _elapsed, ...kept } = stats as Record<string, unknown>;
  return { ...rest, stats: kept };
}

const results = (out: string | Buffer) => parseLines(out.toString()).map(comparable);
const ids = (list: DevPage[]) => list.map((p) => p.id);

test('CLI: a .warc.gz gives the results of its pages as NDJSON lines, and an error line for each damaged record', () => {
  const viaWarc = declutter(['batch', join(dir, 'dev.warc.gz'), '--concurrency', '2']);
  expect(viaWarc.stderr).toBe('');
  expect(viaWarc.code).toBe(0);
  const out = results(viaWarc.stdout);
  const viaNdjson = results(declutter(['batch', join(dir, 'html.jsonl'), '--concurrency', '2']).stdout);
  expect(out.filter((r) => !r.error)).toEqual(viaNdjson);
  expect(out.filter((r) => r.error).map((r) => [r.id, r.error.code])).toEqual(fixture.broken.map((b) => [b.id, b.code]));
  expect(viaNdjson.map((r) => r.id)).toEqual(ids(fixture.good));
});

test('CLI: a WET file gives the results of the text dumps', () => {
  const viaWet = results(declutter(['batch', join(dir, 'dev.wet')]).stdout);
  const viaNdjson = results(declutter(['batch', join(dir, 'text.jsonl')]).stdout);
  expect(viaWet).toEqual(viaNdjson);
  expect(viaWet.map((r) => r.id)).toEqual(ids(pages));
});

test('service: application/warc bodies (gzip members, and a WET) answer as the NDJSON route does', async () => {
  const url = `${server.url}/v1/clean/batch`;
  const viaWarc = await post(url, fixture.data, 'application/warc');
  expect(viaWarc.status).toBe(200);
  const viaNdjson = await post(url, fixture.good.map((p) => JSON.stringify({ id: p.id, url: p.url, html: p.html })).join('\n'));
  const out = results(viaWarc.body);
  expect(out.filter((r) => !r.error)).toEqual(results(viaNdjson.body));
  expect(out.filter((r) => r.error).map((r) => [r.id, r.error.code])).toEqual(fixture.broken.map((b) => [b.id, b.code]));

  const wetReply = await post(url, wet, 'application/warc');
  const textReply = await post(url, pages.map((p) => JSON.stringify({ id: p.id, url: p.url, text: p.text })).join('\n'));
  expect(results(wetReply.body)).toEqual(results(textReply.body));
  // And the CLI's answer is the service's.
  expect(results(wetReply.body)).toEqual(results(declutter(['batch', join(dir, 'dev.wet')]).stdout));
});

async function warcRecords(data: Buffer) {
  const out: { type: string; refersTo: string | null; uri: string | null; body: string }[] = [];
  for await (const record of new WARCParser([data])) {
    out.push({
      type: record.warcType ?? '',
      refersTo: record.warcHeader('WARC-Refers-To') ?? null,
      uri: record.warcTargetURI ?? null,
      body: Buffer.from(await record.readFully(false)).toString('utf8'),
    });
  }
  return out;
}

test('--out-format warc and Accept: application/warc write conversion records of the clean text, referring to their sources', async () => {
  const cli = declutter(['batch', join(dir, 'dev.warc.gz'), '--out-format', 'warc']);
  expect(cli.code).toBe(0);
  const records = await warcRecords(cli.stdout);
  const texts = results(declutter(['batch', join(dir, 'html.jsonl')]).stdout);
  const conversions = records.filter((r) => r.type === 'conversion');
  expect(conversions.map((r) => [r.refersTo, r.uri, r.body])).toEqual(fixture.good.map((p, i) => [p.id, p.url, texts[i].text]));
  // The damaged records are there too, as metadata records carrying the error.
  const problems = records.filter((r) => r.type === 'metadata');
  expect(problems.map((r) => [r.refersTo, JSON.parse(r.body).code])).toEqual(fixture.broken.map((b) => [b.id, b.code]));

  let type = '';
  const reply = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const req = http.request(`${server.url}/v1/clean/batch`, {
      method: 'POST',
      // A fresh connection: an idle kept-alive one may be closing by now (the CLI runs above are slow).
      agent: false,
      headers: { 'Content-Type': 'application/warc', Accept: 'application/warc' },
    });
    req.on('response', (res) => {
      type = String(res.headers['content-type']);
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end(fixture.data);
  });
  expect(type).toBe('application/warc');
  const served = await warcRecords(reply);
  expect(served.map((r) => [r.type, r.refersTo, r.body])).toEqual(records.map((r) => [r.type, r.refersTo, r.body]));
});

test('--out-format warc needs WARC input; --skip-done reads a WARC output', () => {
  const r = declutter(['batch', join(dir, 'text.jsonl'), '--out-format', 'warc']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/needs WARC or WET input/);
  const first = declutter(['batch', join(dir, 'dev.wet'), '--out-format', 'warc']);
  writeFileSync(join(dir, 'out.warc'), first.stdout);
  const again = declutter(['batch', join(dir, 'dev.wet'), '--out-format', 'warc', '--skip-done', join(dir, 'out.warc')]);
  expect(again.code).toBe(0);
  expect(again.stdout.length).toBe(0);
});
