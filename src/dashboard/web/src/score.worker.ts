/** Scores a corpus off the main thread: shingling a few MB of text takes long enough to stall typing. */
import { scoreSet, type LabelledDoc } from './metrics';

self.onmessage = (e: MessageEvent<{ set: LabelledDoc[]; pred: [string, string][] }>) => {
  (self as unknown as Worker).postMessage(scoreSet(e.data.set, new Map(e.data.pred)));
};
