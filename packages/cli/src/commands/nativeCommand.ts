import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { version_core } from '@tensorflow/tfjs-core';
import { CliError } from '../CliError';
import { defineCommand, defineFlags, type CliIo, type ParsedArgs } from '../Command';

const TFJS_NODE = '@tensorflow/tfjs-node';
const require = createRequire(import.meta.url);

/** The flags of `native install`; `native status` takes `--project` only. */
const NATIVE_FLAGS = defineFlags({
  wheel: { type: 'string', value: 'FILE', help: 'a tensorflow-cpu wheel on disk: no network, no pip' },
  'tf-version': { type: 'string', value: 'X.Y.Z', help: 'tensorflow-cpu version to download (2.12 to 2.21 verified)', default: '2.18.1' },
  cache: { type: 'string', value: 'DIR', help: 'wheels, unpacked libraries, built addons', default: '~/.cache/slot-machines/native' },
  project: { type: 'string', value: 'DIR', help: 'where @tensorflow/tfjs-node is installed', default: 'where runtime-node finds it' },
  'node-headers': { type: 'string', value: 'DIR', help: 'a folder with node_api.h', default: 'next to node' },
  'no-strip': { type: 'boolean', help: "keep the libraries' symbol tables (+190 MB)" },
  'no-test': { type: 'boolean', help: 'do not load the result in node afterwards' },
  force: { type: 'boolean', help: 'accept a tfjs-node other than 4.22.0, or Linux aarch64' },
});
type NativeValues = ParsedArgs<typeof NATIVE_FLAGS>['values'];

/**
 * `slot-machines native install | status`: builds @tensorflow/tfjs-node's native part without its
 * download step (runtime-node's scripts/install-native.sh: libtensorflow from a tensorflow-cpu
 * wheel, the addon compiled with g++), and says whether the native backend loads.
 */
export const nativeCommand = defineCommand({
  name: 'native',
  flags: NATIVE_FLAGS,
  help: {
    summary: 'build the native TensorFlow backend offline (install) or check it (status)',
    usage: `slot-machines native install [options]
       slot-machines native status [--project DIR]`,
    text: `install: makes an installed @tensorflow/tfjs-node 4.22.0 work without its own install script, which
downloads libtensorflow from storage.googleapis.com. Takes libtensorflow from TensorFlow's
tensorflow-cpu wheel (a local file, or downloaded with pip from the index pip is set up for) and
compiles tfjs-node's addon with g++. Linux x86_64; needs g++ and python3 (or unzip), pip only to
download. Install tfjs-node first: npm install @tensorflow/tfjs-node@4.22.0 --ignore-scripts
status: says whether tfjs-node is installed, built and loads, and on which libtensorflow; exit code 0
when it loads. Guide: docs/guide/native.md`,
  },
  run: ({ values, positionals }, { io }) => {
    const [action, ...rest] = positionals;
    if (action === 'install') return install(values, rest, io);
    if (action === 'status') return status(values, rest, io);
    throw new CliError(`expected 'native install' or 'native status' (got ${action === undefined ? 'nothing' : `'${action}'`}; see slot-machines native --help)`);
  },
});

/** runtime-node's folder: its scripts/install-native.sh, and where `initRuntime` resolves tfjs-node from. */
function runtimeNodeDir(): string {
  return dirname(require.resolve('@slot-machines/runtime-node/package.json'));
}

/** The folder tfjs-node is resolved from: `--project`, else where runtime-node (so `initRuntime`) finds it. */
function projectDir(project: unknown): { dir: string; described: string } {
  if (project === undefined) return { dir: runtimeNodeDir(), described: 'where @slot-machines/runtime-node looks for it' };
  const dir = resolve(String(project));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`--project ${String(project)}: no such directory`);
  return { dir, described: `from ${dir}` };
}

/**
 * The tfjs-node package folder Node finds from `fromDir` (node_modules folders upwards), or
 * undefined. NODE_PATH is left out on purpose: package managers' shims set it to their own store.
 */
function tensorflowPackage(fromDir: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', ...TFJS_NODE.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

const HOW_TO_GET_TFJS_NODE =
  `install it without its download step first: npm install ${TFJS_NODE}@${version_core} --ignore-scripts ` +
  `(pnpm 10: pnpm add ${TFJS_NODE}@${version_core}, which skips the script by itself; yarn: yarn add ${TFJS_NODE}@${version_core} --ignore-scripts)`;

async function install(values: NativeValues, positionals: readonly string[], io: CliIo): Promise<number> {
  if (positionals.length > 0) throw new CliError(`native install takes no positional arguments (got '${positionals.join(' ')}')`);
  if (values.wheel !== undefined && values['tf-version'] !== undefined) {
    throw new CliError('--wheel and --tf-version exclude each other: the wheel file names its version');
  }
  if (values.wheel !== undefined && !existsSync(String(values.wheel))) throw new CliError(`--wheel ${String(values.wheel)}: no such file`);
  const project = projectDir(values.project);
  if (tensorflowPackage(project.dir) === undefined) {
    throw new CliError(`${TFJS_NODE} is not installed (looked ${project.described}); ${HOW_TO_GET_TFJS_NODE}`);
  }
  const script = join(runtimeNodeDir(), 'scripts', 'install-native.sh');
  if (!existsSync(script)) throw new CliError(`${script} is missing: reinstall @slot-machines/runtime-node`);
  if (spawnSync('bash', ['--version'], { stdio: 'ignore' }).error) throw new CliError('bash not found: install-native.sh needs bash (Linux)');

  const scriptArgs = ['--project', project.dir];
  for (const flag of ['tf-version', 'wheel', 'cache', 'node-headers'] as const) {
    if (values[flag] !== undefined) scriptArgs.push(`--${flag}`, String(values[flag]));
  }
  for (const flag of ['no-strip', 'no-test', 'force'] as const) if (values[flag]) scriptArgs.push(`--${flag}`);

  const child = spawn('bash', [script, ...scriptArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => io.stderr.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk));
  const code = await new Promise<number>((done, fail) => {
    child.on('error', fail);
    child.on('close', (exit) => done(exit ?? 1));
  });
  if (code !== 0) return code === 2 ? 2 : 1;
  return status({ project: values.project }, [], io);
}

/**
 * The probe's check of the fused slot op install-native.sh builds into deps/slot-machines-ops/ (see
 * runtime-node's nativeSlotOps.ts): 'yes' when TF_LoadLibrary takes it and it runs, else why not.
 * Runs in the probe below, where `tf` is tfjs-node and process.argv[1] its folder.
 */
const FUSED_OP_PROBE = `(() => {
  const ops = require('path').join(process.argv[1], 'deps', 'slot-machines-ops');
  if (!require('fs').existsSync(ops + '/slot_ops.so')) return 'not built';
  try {
    require(ops + '/slot_ops_loader.node').loadLibrary(ops + '/slot_ops.so');
    const b = tf.backend(), B = b.binding;
    const attrs = [['lr', 1], ['momentum', 0], ['weight_decay', 0]].map(([name, value]) => ({ name, type: B.TF_ATTR_FLOAT, value })).concat([{ name: 'rule', type: B.TF_ATTR_INT, value: 0 }]);
    const out = b.executeMultipleOutputs('SlotMachinesSlotUpdate', attrs, [tf.tensor1d([0, 0]), tf.zeros([2]), tf.tensor1d([1, -1]), tf.tensor1d([1]), tf.zeros([0])], 3);
    return tf.engine().makeTensorFromTensorInfo(out[2]).dataSync()[0] === 1 ? 'yes' : 'no: wrong result';
  } catch (e) { return 'no: ' + String(e.message).split('\\n')[0]; }
})()`;

/** What install-native.sh recorded in deps/slot-machines-native.json. */
interface NativeRecord {
  readonly libtensorflow?: string;
  readonly wheel?: string;
  readonly compiler?: string;
  readonly date?: string;
}

async function status(values: NativeValues, positionals: readonly string[], io: CliIo): Promise<number> {
  const installOnly = Object.keys(values).filter((name) => name !== 'project' && values[name as keyof NativeValues] !== undefined);
  if (installOnly.length > 0) throw new CliError(`native status takes --project only (got --${installOnly.join(', --')}: options of 'native install')`);
  if (positionals.length > 0) throw new CliError(`native status takes no positional arguments (got '${positionals.join(' ')}')`);
  const project = projectDir(values.project);
  const say = (line: string) => io.stdout.write(`${line}\n`);

  const dir = tensorflowPackage(project.dir);
  if (dir === undefined) {
    say(`${TFJS_NODE}: not installed (looked ${project.described})`);
    say(`  ${HOW_TO_GET_TFJS_NODE}, then: slot-machines native install`);
    return 1;
  }
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  say(`${TFJS_NODE} ${version}: ${dir}`);
  if (version !== version_core) say(`  does not match @tensorflow/tfjs-core ${version_core}: initRuntime will not load it (install ${TFJS_NODE}@${version_core})`);

  const lib = join(dir, 'lib');
  const addons = existsSync(lib) ? readdirSync(lib).filter((d) => existsSync(join(lib, d, 'tfjs_binding.node'))) : [];
  if (addons.length === 0) {
    say(`  addon: not built (no lib/napi-v*/tfjs_binding.node): run slot-machines native install`);
    return 1;
  }
  const recordFile = join(dir, 'deps', 'slot-machines-native.json');
  const record = existsSync(recordFile) ? (JSON.parse(readFileSync(recordFile, 'utf8')) as NativeRecord) : undefined;
  say(
    record
      ? `  addon: ${addons.map((d) => `lib/${d}/tfjs_binding.node`).join(', ')}, built by install-native.sh (${record.compiler}, ${record.date}) on libtensorflow ${record.libtensorflow} from ${record.wheel}`
      : `  addon: ${addons.map((d) => `lib/${d}/tfjs_binding.node`).join(', ')} (not built by install-native.sh: tfjs-node's own install)`,
  );

  // Loaded in a child process: a broken addon can abort the process that loads it.
  const probe = spawnSync(
    process.execPath,
    ['-e', `const tf = require(${JSON.stringify(dir)}); console.log(JSON.stringify({ backend: tf.getBackend(), libtensorflow: tf.backend().binding.TF_Version, fusedOp: ${FUSED_OP_PROBE} }))`, dir],
    { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' }, timeout: 120_000 },
  );
  if (probe.status !== 0) {
    const why = `${probe.stderr}${probe.error?.message ?? ''}`.split('\n').find((line) => /error/i.test(line)) ?? `exit code ${probe.status ?? probe.signal}`;
    say(`  loads: no: ${why.trim()}`);
    say('  rebuild it: slot-machines native install (docs/guide/native.md, Troubleshooting)');
    return 1;
  }
  const loaded = JSON.parse(probe.stdout.trim().split('\n').at(-1) ?? '{}') as { backend?: string; libtensorflow?: string; fusedOp?: string };
  say(`  loads: yes, backend ${loaded.backend} on libtensorflow ${loaded.libtensorflow}`);
  say(
    loaded.fusedOp === 'yes'
      ? `  fused slot op: loads: yes, SlotMachinesSlotUpdate from deps/slot-machines-ops/slot_ops.so (slotUpdate() runs it on tensorflow)`
      : `  fused slot op: ${loaded.fusedOp ?? 'unknown'}: slotUpdate() runs tfjs ops on tensorflow (slower); build it with slot-machines native install`,
  );
  if (version !== version_core) return 1;
  if (values.project === undefined) say(`initRuntime() and --backend auto pick the native backend ('tensorflow')`);
  return 0;
}
