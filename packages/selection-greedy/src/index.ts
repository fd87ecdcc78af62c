export { createGreedyStrategy } from './createGreedyStrategy';
export type { GreedyOptions } from './createGreedyStrategy';
