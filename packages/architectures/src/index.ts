export { ARCHITECTURE_IDS, FLAVOURS, architecture, architectureRecipe, datasetOf } from './architectures';
export type { ArchitectureId, ArchitectureOptions, ArchitectureSpec, Flavour } from './architectures';
