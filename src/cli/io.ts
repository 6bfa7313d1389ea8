/** Input helpers shared by the commands. */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { CliError } from './args';

/** A file's path, or `-`/nothing for standard input. */
export function openInput(path: string | undefined): Readable {
  if (!path || path === '-') return process.stdin;
  checkReadable(path);
  return createReadStream(path);
}

/** A file's (or standard input's) bytes, for input whose encoding is decided from its content (HTML). */
export function readWholeBytes(path: string | undefined): Promise<Buffer> {
  if (path && path !== '-') {
    checkReadable(path);
    return Promise.resolve(readFileSync(path));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

/** A one-line error, exit 1, for a path that is missing or a directory. */
export function checkReadable(path: string): void {
  if (!existsSync(path)) throw new CliError(`no such file: ${path}`, 1);
  if (statSync(path).isDirectory()) throw new CliError(`is a directory: ${path}`, 1);
}

/** The lines of a stream, without their line ends. */
export function lines(input: Readable): AsyncIterable<string> {
  return createInterface({ input, crlfDelay: Infinity });
}
