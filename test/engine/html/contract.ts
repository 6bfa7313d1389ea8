/** The HTML result's guarantees, whose home is src/engine/contract.ts. */
export { htmlContractViolation } from '../../../src/engine/contract';
