export { createEdgePopupStrategy, topFraction } from './createEdgePopupStrategy';
export type { EdgePopupOptions, ResolvedEdgePopupOptions } from './createEdgePopupStrategy';
export { createEdgePopupWeights } from './createEdgePopupWeights';
export type { EdgePopupWeightsOptions } from './createEdgePopupWeights';
