// A stand-in for the batch worker (dist/batch/worker.js) for bench/batch-main.js: it answers at
// once with a line about as long as a detail=spans result of the document, so the pool and the
// pipeline run as in a batch while the cores stay free for the main thread being measured.
// It speaks the task protocol (src/batch/protocol.ts) of every build so far: bytes when asked.
'use strict';
const Piscina = require('piscina');

const encoder = new TextEncoder();

function reply(task) {
  const line = `{"id":${JSON.stringify(task.id)},"text":${JSON.stringify(task.text)},"removed":[],"rules":{}}`;
  if (!task.asBytes) return { line, tally: [] };
  return { lineBytes: encoder.encode(task.newline ? line + '\n' : line), tally: [] };
}

module.exports = function echo(task) {
  // Several documents in one message (builds that group them): one reply each, in order.
  const replies = task.group ? task.group.map(reply) : [reply(task)];
  const buffers = replies.filter((r) => r.lineBytes).map((r) => r.lineBytes.buffer);
  const value = task.group ? { group: replies } : replies[0];
  return buffers.length ? Piscina.move({ [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: value }) : value;
};
