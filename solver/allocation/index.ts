// The allocation solver's public surface, for the server, the CLI and benchmarks (model: MODEL.md).
export { allocate } from './allocate.ts';
export { parseScenario } from './scenario.ts';
export { straightLineTravel, matrixTravel } from './travel.ts';
export { defaultPolicy } from './policy.ts';
export { carryOverNeeds } from './rolling.ts';
export type * from './problem.ts';
