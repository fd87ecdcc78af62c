export { main } from './main';
export type { CliIo, Command, CommandContext, CommandHelp, Flag, FlagGroup, Flags, ParsedArgs } from './Command';
export { buildNetwork, describeRun, registry, resolveRunSpec } from './runSpec';
export type { RunSpec } from './runSpec';
export { lineChartSvg } from './lineChartSvg';
