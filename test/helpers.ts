/** Checks shared by the engine, server and CLI tests: the result contract, whose home is src/engine/contract.ts. */
export { contractViolation, deleteSpans } from '../src/engine/contract';
