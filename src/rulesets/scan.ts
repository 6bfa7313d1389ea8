/**
 * One look at the rules directory: which rule-set files it holds and a stamp per file (size,
 * modification time, inode). A whole-directory signature lets the poller tell "nothing changed"
 * from a few stat calls, without reading or parsing a file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface ScannedFile {
  file: string;
  /** Changes whenever the file is rewritten (an atomic rename gives a new inode too). */
  stamp: string;
  text(): string;
}

export interface DirScan {
  files: ScannedFile[];
  signature: string;
}

/** Files starting with "." (history, locks, temp files of atomic writes) are not rule sets. */
export function scanDir(dir: string): DirScan {
  const files: ScannedFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || !EXTENSIONS.has(extname(name))) continue;
    const file = join(dir, name);
    let stamp: string;
    try {
      const st = statSync(file);
      if (!st.isFile()) continue;
      stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
    } catch {
      continue; // removed between readdir and stat
    }
    files.push({ file, stamp, text: () => readFileSync(file, 'utf8') });
  }
  return { files, signature: files.map((f) => `${f.file}=${f.stamp}`).join('\n') };
}
