/** Batch cleaning: the worker pool and the ordered streaming pipeline, shared by HTTP and CLI. */
export { CleaningPool, findWorkerFile, type PoolDocument, type PoolOutcome, type PoolStats } from './pool';
export { runPipeline, streamSink, ndjsonItems, type LineSink, type PipelineItem, type PipelineSummary } from './pipeline';
export { cleanOne, type CleanOneOptions, type CleanOneResult, type InputKind, type OutputFormat } from './clean-one';
export { prepareValue, prepareLine, InlineSetCache, type RuleSetSource, type BatchDefaults, type Prepared } from './documents';
export { lineError, errorLine, type LineError } from './errors';
export { batchLimits, defaultThreads, maxLineBytesFromEnv, BatchSettingError, DEFAULT_GROUP, type BatchLimits, type GroupLimits } from './settings';
export { warcItems, looksLikeWarc, newTally, skippedCount, type WarcItem, type WarcSource, type WarcTally } from './warc';
export { SourceQueue, warcSink, WARC_CONTENT_TYPE } from './warc-out';
