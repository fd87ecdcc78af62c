import type { Command } from './Command';
import { evalCommand } from './commands/evalCommand';
import { exportCommand } from './commands/exportCommand';
import { finetuneCommand } from './commands/finetuneCommand';
import { nativeCommand } from './commands/nativeCommand';
import { reproduceCommand } from './commands/reproduceCommand';
import { summaryCommand } from './commands/summaryCommand';
import { sweepCommand } from './commands/sweepCommand';
import { trainCommand } from './commands/trainCommand';

/** Every command of `slot-machines`, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [trainCommand, finetuneCommand, evalCommand, exportCommand, summaryCommand, reproduceCommand, sweepCommand, nativeCommand];
