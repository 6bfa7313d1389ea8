/**
 * `--skip-done OUT.warc` for `--out-format warc`: the source records already answered in OUT, by
 * the `WARC-Refers-To` of its conversion and metadata records. A run that was killed may have left
 * half a record at the end: when we are appending to that very (uncompressed) file it is cut off,
 * as the NDJSON resume cuts a half line; otherwise we say so, and its document is done again.
 */
import { closeSync, createReadStream, existsSync, ftruncateSync, openSync, readSync } from 'node:fs';
import { isGzip, warcBytes } from '../batch/warc-gzip';
import { warcRecords } from '../batch/warc-records';

/** The key an id is compared by, as for NDJSON output: its JSON. */
const idKey = (id: unknown) => JSON.stringify(id);

export async function doneWarcIds(path: string, appendingToIt: boolean): Promise<Set<string>> {
  const done = new Set<string>();
  if (!existsSync(path)) return done;
  let complete = 0;
  let damaged = false;
  const head = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  const gzipped = isGzip(head.subarray(0, readSync(fd, head, 0, 2, 0)));
  closeSync(fd);
  const bytes = warcBytes(createReadStream(path));
  async function* plain() {
    for await (const piece of bytes) {
      if (!Buffer.isBuffer(piece)) damaged = true;
      else yield piece;
    }
  }
  for await (const r of warcRecords(plain(), { maxRecordBytes: Infinity })) {
    if (r.kind !== 'record') {
      damaged = true;
      continue;
    }
    complete = r.end;
    const refers = r.headers.fields.get('warc-refers-to');
    if (refers !== undefined) done.add(idKey(refers));
  }
  // Offsets are of the decompressed bytes: a gzipped OUT cannot be cut by them.
  if (damaged && appendingToIt && !gzipped) {
    ftruncateSync(1, complete);
    process.stderr.write(`declutter batch: removed an unfinished last record from ${path} before appending\n`);
  } else if (damaged) {
    process.stderr.write(`declutter batch: ${path} ends with an unfinished record; its document will be done again\n`);
  }
  return done;
}
