/**
 * Bounded memory: about 200 MB of NDJSON, generated on the fly, through a real server in a child
 * process, while we read the answer. The check is the server's peak resident memory (VmHWM, worker
 * threads included), not time. Linux only: it reads /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { CLI, REPO_ROOT } from '../paths';
import { oneRuleDir, requireBuild } from './server-helpers';

const BODY_BYTES = 200e6;
/**
 * 300 MB: the issue's target. The body alone is 200 MB, so a server that held it (or its results)
 * would pass this bound; one that streams stays near its idle size plus the window. Measured: 231 MB
 * with the service's heap growing factor (DECLUTTER_HEAP_GROWING_PERCENT=20, the default), 285-301
 * MB with V8's own, which is why the service sets it.
 */
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
      DECLUTTER_RULES_DIR: oneRuleDir('declutter-mem-'),
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
  // Keep draining its log so the pipe never fills; the content is not needed any more.
  child.stdout!.removeAllListeners('data');
  child.stdout!.resume();
  return { child, url };
}

(linux ? test : test.skip)(
  'a ~200 MB batch streams through with the server under 300 MB resident',
  async () => {
    requireBuild();
    const { child, url } = await startServer();
    try {
      // Paragraph-shaped lines of ~100 KB, each under a fresh id.
      const paragraph = 'The council approved the budget after a long debate about roads, schools and the new library. ';
      const text = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 'Advertisement' : paragraph)).join('\n');
      let sent = 0;
      let docs = 0;
      let answered = 0;
      let errors = 0;
      await new Promise<void>((resolve, reject) => {
        const req = http.request(`${url}/v1/clean/batch`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' } });
        const pump = () => {
          while (sent < BODY_BYTES) {
            const line = `{"id":"doc-${docs++}","text":${JSON.stringify(text)}}\n`;
            sent += line.length;
            if (!req.write(line)) return void req.once('drain', pump);
          }
          req.end();
        };
        req.on('response', (res) => {
          let rest = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            rest += chunk;
            for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n')) {
              if (rest.startsWith(`{"id":"doc-${answered}","error"`)) errors++;
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
      expect(answered).toBe(docs);
      expect(errors).toBe(0);
      expect(peakRssMB(child.pid!)).toBeLessThan(RSS_BOUND_MB);
    } finally {
      child.kill('SIGTERM');
    }
  },
  120_000,
);
