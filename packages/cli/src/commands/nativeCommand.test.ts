import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensorflowAvailable } from '@slot-machines/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main';
import { captureIo } from '../testIo.test-helpers';

// Each case starts processes or reads files only: the same on every backend, so run once.
describe.runIf(process.env.SM_TEST_BACKEND === 'wasm')('slot-machines native', () => {
  let empty: string;
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'sm-native-'));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
  });

  it('explains install and status, and is listed in the commands', async () => {
    const io = captureIo();
    expect(await main(['native', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(/slot-machines native install/);
    for (const flag of ['--wheel', '--tf-version', '--cache', '--project']) expect(io.out()).toContain(flag);
    const top = captureIo();
    await main(['--help'], top);
    expect(top.out()).toMatch(/\n {2}native {6}build the native TensorFlow backend offline/);
  });

  it.each([
    [['native'], /expected 'native install' or 'native status' \(got nothing/],
    [['native', 'build'], /expected 'native install' or 'native status' \(got 'build'/],
    [['native', 'install', '--project', '/nonexistent/project'], /--project \/nonexistent\/project: no such directory/],
    [['native', 'install', '--wheel', '/nonexistent/tensorflow_cpu-2.18.1.whl'], /--wheel \/nonexistent\/tensorflow_cpu-2\.18\.1\.whl: no such file/],
    [['native', 'install', '--wheel', 'a.whl', '--tf-version', '2.18.1'], /--wheel and --tf-version exclude each other/],
    [['native', 'install', '--bogus'], /Unknown option '--bogus'/],
  ])('%j fails with a message that names the problem', async (argv, message) => {
    const io = captureIo();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('install says how to get tfjs-node when the project has none', async () => {
    const io = captureIo();
    expect(await main(['native', 'install', '--project', empty], io)).toBe(2);
    expect(io.err()).toMatch(/@tensorflow\/tfjs-node is not installed \(looked from .*sm-native-.*\); install it without its download step first: npm install @tensorflow\/tfjs-node@4\.22\.0 --ignore-scripts/);
  });

  it("install's script refuses a file that is not a TensorFlow wheel, before changing anything", async () => {
    const wheel = join(empty, 'numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl');
    await writeFile(wheel, 'not a zip');
    const io = captureIo();
    expect(await main(['native', 'install', '--wheel', wheel, '--cache', join(empty, 'cache')], io)).toBe(1);
    expect(io.err()).toMatch(/install-native: error: --wheel numpy-2\.0\.0-.*\.whl: expected a TensorFlow 2 wheel file named like tensorflow_cpu-2\.18\.1-/);
  });

  it('status says what is missing in a project without tfjs-node (exit code 1)', async () => {
    const io = captureIo();
    expect(await main(['native', 'status', '--project', empty], io)).toBe(1);
    expect(io.out()).toMatch(/^@tensorflow\/tfjs-node: not installed \(looked from .*\)\n {2}install it without its download step first: npm install @tensorflow\/tfjs-node@4\.22\.0 --ignore-scripts/);
  });

  it('status reports the tfjs-node runtime-node finds, and whether it loads', async () => {
    const io = captureIo();
    const code = await main(['native', 'status'], io);
    expect(io.out()).toMatch(/^@tensorflow\/tfjs-node 4\.22\.0: \S+/);
    if (tensorflowAvailable()) {
      expect(code).toBe(0);
      expect(io.out()).toMatch(/\n {2}addon: lib\/napi-v8\/tfjs_binding\.node, built by install-native\.sh \(.*\) on libtensorflow 2\.\d+\.\d+ from tensorflow_cpu-/);
      expect(io.out()).toMatch(/\n {2}loads: yes, backend tensorflow on libtensorflow 2\.\d+\.\d+\n/);
      expect(io.out()).toMatch(/initRuntime\(\) and --backend auto pick the native backend/);
    } else {
      expect(code).toBe(1);
      expect(io.out()).toMatch(/addon: not built .*run slot-machines native install|loads: no: /);
    }
  }, 60_000);
});
