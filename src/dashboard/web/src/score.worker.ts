/** Scores a corpus off the main thread: shingling a few MB of text takes long enough to stall typing. */
import { scoreLabelledSet, type CleaningOutcome, type LabelledDocument } from '../../../scoring/labelled-set';

self.onmessage = (e: MessageEvent<{ set: LabelledDocument[]; outcomes: CleaningOutcome[] }>) => {
  (self as unknown as Worker).postMessage(scoreLabelledSet(e.data.set, e.data.outcomes));
};
