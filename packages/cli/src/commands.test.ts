import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARCHITECTURE_IDS } from '@slot-machines/architectures';
import { describe, expect, it } from 'vitest';
import { FLAG_GROUPS } from './Command';
import { COMMANDS } from './commandList';
import { main } from './main';
import { captureIo } from './testIo.test-helpers';

const here = dirname(fileURLToPath(import.meta.url));

async function help(name: string): Promise<string> {
  const io = captureIo();
  expect(await main([name, '--help'], io)).toBe(0);
  return io.out();
}

describe('commands as objects', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: its help lists every flag it parses, with its default, under its group', async (_name, command) => {
    const text = await help(command.name);
    expect(text).toContain(`Usage: ${command.help.usage}`);
    expect(text).toContain(command.help.text.split('\n')[0]);
    for (const [name, flag] of Object.entries(command.flags)) {
      const line = text.split('\n').find((l) => l.startsWith(`  --${name}${flag.type === 'string' ? ` ${flag.value}` : ''}  `) || l === `  --${name}`);
      expect(line, `--${name} in ${command.name} --help`).toBeDefined();
      if (flag.type === 'string' && flag.default !== undefined) expect(text).toContain(`[${flag.default}]`);
      if (flag.group) {
        const heading = text.lastIndexOf(`\n${flag.group}:\n`, text.indexOf(line!));
        expect(heading, `--${name} under ${flag.group}:`).toBeGreaterThan(-1);
        for (const other of FLAG_GROUPS) if (other !== flag.group) expect(text.slice(heading + 1, text.indexOf(line!))).not.toContain(`\n${other}:\n`);
      }
    }
  });

  it.each(COMMANDS.map((c) => [c.name]))('%s: parsing rejects a flag it does not declare, in one line with exit code 2', async (name) => {
    const io = captureIo();
    expect(await main([name, '--not-a-flag', 'x'], io)).toBe(2);
    expect(io.err()).toMatch(new RegExp(`^slot-machines ${name}: Unknown option '--not-a-flag'[^\\n]*\\n$`));
  });

  it("lists --arch's choices from the architectures package", async () => {
    expect(await help('train')).toMatch(new RegExp(`\\n  --arch NAME +${ARCHITECTURE_IDS.join(', ')} +\\[lenet-300-100\\]\\n`));
  });

  it('lists the commands in the overview, one summary line each', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    for (const c of COMMANDS) expect(io.out()).toContain(`\n  ${c.name.padEnd(12)}${c.help.summary}\n`);
  });

  it('keeps the finetuning defaults and still asks for --run', async () => {
    const text = await help('finetune');
    expect(text).toMatch(/\n {2}--run DIR +the slot machine run to start from/);
    expect(text).toMatch(/\n {2}--lr X +.*\[0\.01\]\n/);
    expect(text).not.toContain('--finetune-from');
    const io = captureIo();
    expect(await main(['finetune', '--epochs', '1'], io)).toBe(2);
    expect(io.err()).toMatch(/--run DIR is required/);
  });

  it("refuses install's flags for native status", async () => {
    const io = captureIo();
    expect(await main(['native', 'status', '--wheel', 'x.whl'], io)).toBe(2);
    expect(io.err()).toMatch(/native status takes --project only \(got --wheel/);
  });

  it('the commands do not import main (no import circle)', () => {
    for (const file of readdirSync(join(here, 'commands')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      expect(readFileSync(join(here, 'commands', file), 'utf8'), file).not.toMatch(/from '\.\.\/main'/);
    }
  });
});
