import { FLAG_GROUPS, type Command, type Flag } from './Command';

/** Where a flag's help text starts; where defaults line up; the width a default may reach there. */
const TEXT_COLUMN = 24;
const DEFAULT_COLUMN = 88;
const WIDTH = 120;

/** `slot-machines --help`: what a slot machine is, and the commands with their one-line summaries. */
export function overviewHelp(commands: readonly Command[]): string {
  const list = commands.map((c) => `  ${c.name.padEnd(12)}${c.help.summary}`).join('\n');
  return `slot-machines: train networks whose weights are never trained

A slot machine gives every connection K fixed random values and learns a score per value; the
forward pass uses the best-scored value (greedy, GS) or samples one (probabilistic, PS). Only the
scores are trained. Paper: Aladago & Torresani, "Slot Machines", ICML 2021.

Usage: slot-machines <command> [options]

Commands:
${list}

Quick start:
  slot-machines train --epochs 3              # Lenet-300-100, GS, K=8, bundled MNIST
  slot-machines export --run runs/latest --out model/
  slot-machines <command> --help              # every option of a command
`;
}

/**
 * `slot-machines <command> --help`: usage, the explanatory paragraphs, then every declared flag with
 * its help and default, under its group's heading (ungrouped flags last).
 */
export function commandHelp(command: Command): string {
  const entries = Object.entries(command.flags);
  const grouped = FLAG_GROUPS.map((group) => [group, entries.filter(([, f]) => f.group === group)] as const).filter(([, list]) => list.length > 0);
  const ungrouped = entries.filter(([, f]) => f.group === undefined);
  const blocks = [
    ...grouped.map(([group, list]) => `${group}:\n${list.map(([name, flag]) => flagLines(name, flag)).join('\n')}`),
    ...(ungrouped.length ? [ungrouped.map(([name, flag]) => flagLines(name, flag)).join('\n')] : []),
  ];
  return `Usage: ${command.help.usage}\n\n${command.help.text.trimEnd()}\n\n${blocks.join('\n\n')}\n`;
}

/** One flag: `  --name VALUE   help text   [default]`, continuation lines indented to the text. */
function flagLines(name: string, flag: Flag): string {
  const left = `  --${name}${flag.type === 'string' ? ` ${flag.value}` : ''}`;
  const lines = flag.help.split('\n').map((text, i) => `${(i === 0 ? left : '').padEnd(Math.max(TEXT_COLUMN, i === 0 ? left.length + 2 : 0))}${text}`);
  const shown = flag.type === 'string' && flag.default !== undefined ? `[${flag.default}]` : '';
  if (shown) {
    // lined up with the others, else right after the text, else on a line of its own
    const last = lines[lines.length - 1]!;
    const column = Math.max(DEFAULT_COLUMN, last.length + 2);
    if (column + shown.length <= WIDTH) lines[lines.length - 1] = `${last.padEnd(column)}${shown}`;
    else if (last.length + 2 + shown.length <= WIDTH) lines[lines.length - 1] = `${last}  ${shown}`;
    else lines.push(`${''.padEnd(TEXT_COLUMN)}${shown}`);
  }
  return lines.map((l) => l.trimEnd()).join('\n');
}
