export { createProbabilisticStrategy } from './createProbabilisticStrategy';
export type { ProbabilisticOptions, ResolvedProbabilisticOptions } from './createProbabilisticStrategy';
