// A stand-in for the batch worker (dist/batch/worker.js) for bench/batch-main.js: it answers at
// once with a line about as long as a detail=spans result of the document, so the pool and the
// pipeline run as in a batch while the cores stay free for the main thread being measured.
// It speaks the task protocol (src/batch/protocol.ts) of every build so far: bytes when asked.
'use strict';
const Piscina = require('piscina');

const encoder = new TextEncoder();

module.exports = function echo(task) {
  const line = `{"id":${JSON.stringify(task.id)},"text":${JSON.stringify(task.text)},"removed":[],"rules":{}}`;
  if (!task.asBytes) return { line, tally: [] };
  const lineBytes = encoder.encode(task.newline ? line + '\n' : line);
  return Piscina.move({ [Piscina.transferableSymbol]: [lineBytes.buffer], [Piscina.valueSymbol]: { lineBytes, tally: [] } });
};
