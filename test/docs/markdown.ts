/**
 * Reads the examples out of the Markdown: fenced blocks, each with the marker comment right
 * before it (`<!-- not-run: why -->`, `<!-- answer -->`, `<!-- file: PATH -->`), and the commands
 * of a shell block.
 */
import { readFileSync } from 'node:fs';

export interface Block {
  file: string;
  /** 1-based line of the opening fence, for messages a reader can follow. */
  line: number;
  lang: string;
  body: string;
  /** The reason of a `<!-- not-run: why -->` marker; undefined when the block runs. */
  notRun?: string;
  /** Marked `<!-- answer -->`: the documented output of the command run before it. */
  answer: boolean;
  /** Marked `<!-- file: PATH -->`: the block shows that file of the repository, whole. */
  shows?: string;
}

const FENCE = /^(\s*)(`{3,})\s*([\w-]*)\s*$/;
const MARKER = /^\s*<!--\s*(not-run:\s*(.*?)|answer|file:\s*(\S+))\s*-->\s*$/;

export function readBlocks(file: string, path: string): Block[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks: Block[] = [];
  let marker: RegExpExecArray | null = null;
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) {
      // A marker belongs to the next block only if nothing but blank lines comes between them.
      if (lines[i].trim()) marker = MARKER.exec(lines[i]);
      continue;
    }
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j].trim() !== fence) body.push(lines[j++].slice(indent.length));
    if (j === lines.length) throw new Error(`${file}:${i + 1}: the code block is never closed`);
    const notRun = marker?.[2];
    if (notRun !== undefined && !notRun.trim()) throw new Error(`${file}:${i + 1}: a not-run marker must say why`);
    blocks.push({ file, line: i + 1, lang: lang.toLowerCase(), body: body.join('\n'), notRun, answer: marker?.[1] === 'answer', shows: marker?.[3] });
    marker = null;
    i = j;
  }
  return blocks;
}

/** Cuts a `#` comment that starts outside quotes (shell rules, enough for documentation lines). */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** The commands of a shell block: continuation lines joined, comments and blank lines dropped. */
export function shellCommands(body: string): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const raw of body.split('\n')) {
    const line = pending + raw;
    if (/\\\s*$/.test(line)) {
      pending = line.replace(/\\\s*$/, ' ');
      continue;
    }
    pending = '';
    const command = stripComment(line).trim();
    if (command) commands.push(command.replace(/\s+/g, ' '));
  }
  return commands;
}
