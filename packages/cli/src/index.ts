export { main } from './main';
export type { CliIo } from './main';
export { buildNetwork, describeRun, registry, resolveRunSpec } from './runSpec';
export type { RunSpec } from './runSpec';
export { lineChartSvg } from './lineChartSvg';
