/** Labelled sets named on the command line (`eval --set`, `train --set`), refused in one line when unusable. */
import { readSet, type LabelledDoc } from '../train/data';
import { CliError } from './args';
import { checkReadable } from './io';

export function readLabelledSet(path: string): LabelledDoc[] {
  checkReadable(path);
  let docs: LabelledDoc[];
  try {
    docs = readSet(path);
  } catch (e) {
    const message = (e as Error).message.split('\n')[0];
    throw new CliError(message.startsWith(path) ? message : `${path}: ${message}`, 1);
  }
  // Figures over no documents would be zeros that look like a result.
  if (docs.length === 0) throw new CliError(`${path} holds no documents (one JSON document a line)`, 1);
  return docs;
}
