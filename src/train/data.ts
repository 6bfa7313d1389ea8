/** Labelled sets: one JSON document a line (see CONTRACT.md, "Labelled sets"). */
import { existsSync, readFileSync } from 'node:fs';

export interface LabelledDoc {
  id: string;
  text: string;
  html?: string;
  url?: string;
  gold?: string;
  with?: string[];
  without?: string[];
}

export function readSet(path: string): LabelledDoc[] {
  if (!existsSync(path)) throw new Error(`no such file: ${path}`);
  const out: LabelledDoc[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let d: LabelledDoc;
      try {
        d = JSON.parse(line);
      } catch (e) {
        throw new Error(`${path}:${i + 1}: not JSON (${(e as Error).message})`, { cause: e });
      }
      if (typeof d.text !== 'string') throw new Error(`${path}:${i + 1}: no "text"`);
      out.push({ ...d, id: String(d.id ?? i + 1) });
    });
  return out;
}
