/**
 * A streamed batch notices a client that closed its socket even when no more lines are written
 * (batch-stream.ts, probeForGonePeer). The client's kernel answers the first line sent after it
 * closed with a reset, but the write that provoked it succeeded: before the probe, the batch learnt
 * of the reset only from a later write, so its workers went on cleaning for nobody until the next
 * result was ready (test/reliability/attacks.test.ts, "sends it whole and goes away").
 */
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import express from 'express';
import pino from 'pino';
import type { PipelineSummary } from '../../src/batch';
import { streamBatch } from '../../src/server/routes/batch-stream';
import type { AppDeps } from '../../src/server/types';
import { eventually } from '../batch/server-helpers';

test('a batch whose client closed is cancelled without waiting for another line to write', async () => {
  let clientGone!: () => void;
  const gone = new Promise<void>((r) => (clientGone = r));
  let aborted = false;
  let cancelled: boolean | undefined;
  const deps = { logger: pino({ level: 'silent' }) } as unknown as AppDeps;
  const app = express();
  app.post('/batch', (req, res) => {
    void streamBatch(deps, req, res, {
      name: 'batch',
      type: 'application/x-ndjson',
      // The body is never read: the request stays under back-pressure, as a batch's does while its
      // window is full, so nothing polls the socket for reads.
      body: req,
      run: async (signal) => {
        res.write('{"first":true}\n');
        await gone;
        // The line that reaches a closed socket (its kernel answers with a reset); it is the last.
        res.write('{"second":true}\n');
        await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
        aborted = true;
        const summary: PipelineSummary = { written: 2, errors: 0, bytes: 0, cancelled: true };
        return summary;
      },
    }).then(() => (cancelled = true));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  try {
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    // More body than the socket buffers hold, so some of it is still unsent when the client closes.
    const body = Buffer.alloc(8 * 1024 * 1024, 'x');
    socket.write(`POST /batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body);
    let received = '';
    await new Promise<void>((r) => {
      const onData = (d: Buffer) => {
        received += d.toString('latin1');
        if (received.includes('{"first":true}')) {
          socket.off('data', onData);
          r();
        }
      };
      socket.on('data', onData);
    });
    socket.destroy();
    await new Promise<void>((r) => socket.once('close', () => r()));
    clientGone();
    await eventually(() => aborted, 'the batch was cancelled after its client closed', 10_000);
    await eventually(() => cancelled === true, 'the batch ended', 10_000);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
