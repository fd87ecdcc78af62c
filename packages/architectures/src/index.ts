export { ARCHITECTURE_IDS, FLAVOURS, architecture } from './architectures';
export type { ArchitectureId, ArchitectureOptions, ArchitectureSpec, Flavour } from './architectures';
