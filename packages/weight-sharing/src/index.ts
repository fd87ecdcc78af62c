export { createGlobalSharing, createLayerSharing, createNoSharing } from './createWeightSharing';
