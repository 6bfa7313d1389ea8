/**
 * One look at the rules directory: which rule-set files and model files (`models/*.yaml`) it
 * holds and a stamp per file (size, modification time, inode). A whole-directory signature lets
 * the poller tell "nothing changed" from a few stat calls, without reading or parsing a file;
 * a retrained model changes it too, so the sets that use the model reload.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { MODELS_DIR, modelFileNames } from './models';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface ScannedFile {
  file: string;
  /** Changes whenever the file is rewritten (an atomic rename gives a new inode too). */
  stamp: string;
  text(): string;
}

export interface DirScan {
  /** Rule sets: the files of the directory itself. */
  files: ScannedFile[];
  /** Model files of the `models` folder, which sets name; never taken for sets. */
  models: ScannedFile[];
  signature: string;
}

function scanned(file: string): ScannedFile | undefined {
  try {
    const st = statSync(file);
    if (!st.isFile()) return undefined;
    return { file, stamp: `${st.size}:${st.mtimeMs}:${st.ino}`, text: () => readFileSync(file, 'utf8') };
  } catch {
    return undefined; // removed between readdir and stat
  }
}

/** Files starting with "." (history, locks, temp files of atomic writes) are not rule sets. */
export function scanDir(dir: string): DirScan {
  const files: ScannedFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || !EXTENSIONS.has(extname(name))) continue;
    const entry = scanned(join(dir, name));
    if (entry) files.push(entry);
  }
  return withSignature(files, scanModels(dir));
}

/** The model files of a rules directory alone (a store that keeps its sets elsewhere still reads them here). */
export function scanModels(dir: string): ScannedFile[] {
  return modelFileNames(dir).flatMap((name) => scanned(join(dir, MODELS_DIR, name)) ?? []);
}

export function withSignature(files: ScannedFile[], models: ScannedFile[]): DirScan {
  return { files, models, signature: [...files, ...models].map((f) => `${f.file}=${f.stamp}`).join('\n') };
}
