/**
 * Standard output that its reader closed (`declutter clean page.txt | head -1`) is a normal way
 * for a command to end, as for cat or grep: no stack trace, exit 0. Any other write error
 * (a full disk) is reported in one line, exit 1.
 */

let closed = false;
const onClose: Array<() => void> = [];

/** True once the reader of standard output went away. */
export function stdoutClosed(): boolean {
  return closed;
}

/**
 * Lets a command wind down by itself when its reader goes away (batch stops its pool); without
 * one, the process ends at once, since nothing more it does can be seen.
 */
export function whenStdoutCloses(stop: () => void): () => void {
  onClose.push(stop);
  return () => {
    const at = onClose.indexOf(stop);
    if (at >= 0) onClose.splice(at, 1);
  };
}

export function guardStdout(command: string): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      if (closed) return;
      closed = true;
      if (onClose.length) onClose.forEach((stop) => stop());
      else process.exit(0);
      return;
    }
    process.stderr.write(`declutter ${command}: cannot write the output: ${err.message}\n`);
    process.exit(1);
  });
}
