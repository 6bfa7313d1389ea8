/**
 * Load against a real process: autocannon at a fixed rate of ~10 KB documents, no errors, and
 * resident memory flat between the first and last third of the run.
 */
import autocannon from 'autocannon';
import { copyRules, rssBytes, sampleDocuments, startService, writeFigures, type Service } from './service';

/**
 * 100 requests a second for 10 s: the brief's figure, about half of one core on this engine
 * (docs/operations.md). RELIABILITY_LOAD_SECONDS makes a longer soak of the same test.
 */
const RATE = 100;
const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 10);
const DOC_BYTES = 10 * 1024;
/**
 * 10 s of warm-up at the same rate first: JIT compilation and V8 growing its old generation to its
 * working size (measured: heap total 70 MB → 103 MB over the first 20 s, flat after) are not leaks.
 */
const WARMUP_SECONDS = 10;

/**
 * "Flat": the median RSS of the last third may exceed that of the first third by at most 40 MB.
 * Why: at this load V8 collects its old generation about every 10 s, so RSS saws between about
 * 150 and 185 MB with no leak at all (heap used after each major GC stays at 32-49 MB, measured
 * in a 40 s run sampling RSS and /metrics every 2 s); a median can move by up to that amplitude
 * (~35 MB) without any growth. What fails it is growth beyond the sawtooth: a leak of more than
 * ~60 KB per request (one request's input and result is ~40 KB) over the ~650 requests between
 * the thirds' middles. Smaller leaks need a soak: RELIABILITY_LOAD_SECONDS=300.
 */
const RSS_SLACK = 40 * 1024 * 1024;

let service: Service;
let rules: { dir: string; cleanup(): void };

beforeAll(async () => {
  rules = copyRules();
  service = await startService({ DECLUTTER_RULES_DIR: rules.dir });
});
afterAll(async () => {
  const code = await service?.stop();
  rules?.cleanup();
  expect(code).toBe(0);
});

function run(seconds: number, docs: string[], onTick?: () => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${service.url}/v1/clean`,
        method: 'POST',
        // 10 connections: enough that a slow response never holds the rate back.
        connections: 10,
        overallRate: RATE,
        duration: seconds,
        requests: docs.map((body) => ({ method: 'POST', path: '/v1/clean', headers: { 'content-type': 'text/plain; charset=utf-8' }, body })),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    if (onTick) instance.on('tick', onTick);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

describe('steady load', () => {
  it(`${RATE} requests/s of ${DOC_BYTES / 1024} KB documents for ${SECONDS} s: no errors, memory flat`, async () => {
    const docs = sampleDocuments(20, DOC_BYTES);
    await run(WARMUP_SECONDS, docs);

    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssBytes(service.pid)), 250);
    const started = Date.now();
    const result = await run(SECONDS, docs);
    clearInterval(sampler);
    const third = Math.floor(samples.length / 3);
    const first = median(samples.slice(0, third));
    const last = median(samples.slice(-third));

    writeFigures('load', {
      command: 'npx jest test/reliability/load.test.ts',
      rate: RATE,
      seconds: SECONDS,
      docBytes: DOC_BYTES,
      requests: result.requests.total,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      latencyP50ms: result.latency.p50,
      latencyP99ms: result.latency.p99,
      rssFirstThirdMB: mb(first),
      rssLastThirdMB: mb(last),
      rssLimitMB: mb(first + RSS_SLACK),
      elapsedMs: Date.now() - started,
    });

    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    // autocannon skips the sends a busy service cannot take at the fixed rate, so the count depends on
    // the machine (on 2 shared cores it reached 64% of the rate); a quarter only proves the run did
    // enough work for the memory comparison to mean something.
    expect(result.requests.total).toBeGreaterThanOrEqual(RATE * SECONDS * 0.25);
    expect(third).toBeGreaterThanOrEqual(5);
    expect(last).toBeLessThanOrEqual(first + RSS_SLACK);
  });
});
