/**
 * Writing a trained scorer: `declutter train` writes one model file (rules/models/NAME.yaml) and
 * nothing else. The set's scorer rule names the file (`model: models/NAME.yaml`), so the rule
 * set stays hand-written and reviewed, and retraining shows up as a change to the model file only.
 */
import { writeFileSync } from 'node:fs';
import YAML, { isMap } from 'yaml';
import type { ScorerModel } from '../engine/features/model';

/** Short flow mappings keep each feature's weight and mean on one line, which reads like a table. */
function featureTablesInFlow(node: unknown): void {
  if (!isMap(node)) return;
  for (const item of node.items) {
    const key = String((item.key as { value?: unknown })?.value ?? item.key);
    if (key === 'features' && isMap(item.value)) {
      for (const f of item.value.items) if (isMap(f.value)) f.value.flow = true;
    } else featureTablesInFlow(item.value);
  }
}

/** The trained fields, in the order a reader wants them: the cut-offs first, then the tables. */
export function modelData(model: ScorerModel): Record<string, unknown> {
  return {
    threshold: model.threshold,
    runCut: model.runCut,
    runFloor: model.runFloor,
    ...(model.runGap ? { runGap: model.runGap } : {}),
    window: model.window,
    ...(model.switchCost ? { switchCost: model.switchCost } : {}),
    ...(model.pageThreshold ? { pageThreshold: model.pageThreshold } : {}),
    block: model.block,
    context: model.context,
    ...(model.dom ? { dom: model.dom } : {}),
  };
}

/** A model file's text; its header says how it was made, so that anyone can make it again. */
export function renderModel(model: ScorerModel, command: string, notes: string[] = []): string {
  const doc = new YAML.Document(modelData(model));
  featureTablesInFlow(doc.contents);
  doc.commentBefore = [
    ` ${model.dom ? 'HTML' : 'Text'} article scorer, written by: ${command}`,
    ' Retrain rather than edit by hand; a scorer rule of a set names this file with `model:`.',
    ...notes.map((n) => ` ${n}`),
  ].join('\n');
  return doc.toString({ lineWidth: 110 });
}

export function writeModel(path: string, model: ScorerModel, command: string, notes: string[] = []): void {
  writeFileSync(path, renderModel(model, command, notes));
}
