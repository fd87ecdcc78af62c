export { createSupermaskStrategy } from './createSupermaskStrategy';
export type { ResolvedSupermaskOptions, SupermaskOptions } from './createSupermaskStrategy';
export { createSupermaskWeights } from './createSupermaskWeights';
export type { SupermaskWeightsOptions } from './createSupermaskWeights';
