/**
 * Bounded memory for WARC input: a generated WET.gz of ~150 MB of records (one gzip member per
 * record, a request record between pages, as crawls have) through a real server in a child
 * process, read while it is sent. The check is the server's peak resident memory (VmHWM, worker
 * threads included) against the NDJSON batches' bound, not time. Linux only: it reads /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { CLI, REPO_ROOT } from '../paths';
import { oneRuleDir, requireBuild } from './server-helpers';

/** Decompressed: the records are repetitive text, so far fewer bytes cross the socket. */
const RECORD_BYTES = 150e6;
/** The NDJSON memory test's bound (test/batch/memory.test.ts). */
const RSS_BOUND_MB = 300;

const linux = existsSync('/proc/self/status');

function peakRssMB(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DECLUTTER_RULES_DIR: oneRuleDir('declutter-warc-mem-'),
      DECLUTTER_BATCH_BODY_LIMIT: '1gb',
      DECLUTTER_WORKERS: '2',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out.slice(-300)}`)));
  });
  child.stdout!.removeAllListeners('data');
  child.stdout!.resume();
  return { child, url };
}

/** A WARC record as one gzip member; written by hand so that thousands cost no digest each. */
function member(type: string, id: number, block: string, extra = ''): Buffer {
  const body = Buffer.from(block, 'utf8');
  const head =
    `WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-${String(id).padStart(12, '0')}>\r\n` +
    `WARC-Target-URI: https://example.com/page/${id}\r\nWARC-Date: 2026-11-30T12:00:00Z\r\n${extra}Content-Length: ${body.length}\r\n\r\n`;
  return gzipSync(Buffer.concat([Buffer.from(head), body, Buffer.from('\r\n\r\n')]));
}

(linux ? test : test.skip)(
  'a ~150 MB WET.gz streams through with the server under the NDJSON bound',
  async () => {
    requireBuild();
    const { child, url } = await startServer();
    try {
      const paragraph = 'The council approved the budget after a long debate about roads, schools and the new library. ';
      const text = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 'Advertisement' : paragraph)).join('\n');
      const request = 'GET /page HTTP/1.1\r\nHost: example.com\r\n\r\n';
      let produced = 0;
      let pages = 0;
      let answered = 0;
      let errors = 0;
      await new Promise<void>((resolve, reject) => {
        const req = http.request(`${url}/v1/clean/batch`, { method: 'POST', headers: { 'Content-Type': 'application/warc' } });
        const pump = () => {
          while (produced < RECORD_BYTES) {
            const n = pages++;
            produced += text.length;
            const ok = req.write(
              Buffer.concat([
                member('request', 2 * n, request, 'Content-Type: application/http; msgtype=request\r\n'),
                member('conversion', 2 * n + 1, text, 'Content-Type: text/plain\r\n'),
              ]),
            );
            if (!ok) return void req.once('drain', pump);
          }
          req.end();
        };
        req.on('response', (res) => {
          let rest = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            rest += chunk;
            for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n')) {
              if (rest.slice(0, 200).includes('"error":')) errors++;
              rest = rest.slice(nl + 1);
              answered++;
            }
          });
          res.on('end', resolve);
          res.on('error', reject);
        });
        req.on('error', reject);
        pump();
      });
      expect(errors).toBe(0);
      // One line per page; the request records are skipped.
      expect(answered).toBe(pages);
      expect(peakRssMB(child.pid!)).toBeLessThan(RSS_BOUND_MB);
    } finally {
      child.kill('SIGTERM');
    }
  },
  240_000,
);
