import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SLOT_UPDATE_WASM, SLOT_UPDATE_WASM_SHARED } from './slotUpdateWasmBinary';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bytes = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(Buffer.from(base64, 'base64'));

/** The ids of a module's sections, in order (1 type, 2 import, 3 function, 6 global, 7 export, 8 start, 10 code, 11 data). */
function sectionIds(binary: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8; // magic and version
  while (at < binary.length) {
    ids.push(binary[at++]!);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = binary[at++]!;
      size |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    at += size;
  }
  return ids;
}

type Run = (...args: number[]) => void;

/** Instantiates `binary` over `memory` and runs one argmax + one softmax update on the same random bytes; returns the output region. */
function runOn(binary: Uint8Array<ArrayBuffer>, memory: WebAssembly.Memory): Uint8Array {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { memory } });
  const n = 97;
  const k = 8;
  const f32 = new Float32Array(memory.buffer);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296) * 2 - 1;
  // layout (floats): scores, velocity, options at 0, n·k, 2n·k; grad, uniforms, scratch after; outputs from `out`
  const [s, v, o, g, u, scratch, out] = [0, n * k, 2 * n * k, 3 * n * k, 3 * n * k + n, 3 * n * k + 2 * n, 4096];
  for (let i = 0; i < out; i++) f32[i] = random();
  for (let i = 0; i < n; i++) f32[u + i] = (f32[u + i]! + 1) / 2;
  const outputs = [out, out + n * k, out + 2 * n * k, out + 2 * n * k + n].map((f) => f * 4);
  const slotUpdate = exports.slotUpdate as Run;
  slotUpdate(s * 4, v * 4, o * 4, 0, g * 4, u * 4, scratch * 4, 0.3, 0.9, 1e-4, 0, ...outputs, n, k);
  const argmax = new Uint8Array(memory.buffer, out * 4, (2 * n * k + 2 * n) * 4).slice();
  slotUpdate(s * 4, v * 4, o * 4, 0, g * 4, u * 4, scratch * 4, 25, 0.9, 0, 1, ...outputs, n, k);
  const softmax = new Uint8Array(memory.buffer, out * 4, (2 * n * k + 2 * n) * 4).slice();
  return Uint8Array.from([...argmax, ...softmax]);
}

describe('the fused slot update’s SIMD module (src/slotUpdateWasmBinary.ts)', () => {
  it('is what assembly/slotUpdate.ts builds with the pinned AssemblyScript', () => {
    // exits 1, naming the file, when the committed binary and the source disagree
    const output = execFileSync(process.execPath, [join(root, 'scripts/buildSlotUpdateWasm.mjs'), '--check'], { encoding: 'utf8' });
    expect(output).toMatch(/up to date/);
  });

  it('touches nothing of the tfjs heap it imports on instantiation, and compiles on a browser main thread (< 4 KB)', () => {
    for (const binary of [bytes(SLOT_UPDATE_WASM), bytes(SLOT_UPDATE_WASM_SHARED)]) {
      expect(binary.length).toBeLessThan(4096);
      const ids = sectionIds(binary);
      // no global (6), start (8) or data (11) section: no write to the shared heap at instantiation
      expect(ids.filter((id) => [6, 8, 11].includes(id))).toEqual([]);
      const module = new WebAssembly.Module(binary);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual(['exp', 'expLane', 'slotUpdate']);
    }
  });

  it('computes exp bit for bit as this engine’s Math.exp, one value and two lanes at once (the softmax rule depends on it)', () => {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes(SLOT_UPDATE_WASM)), { env: { memory: new WebAssembly.Memory({ initial: 1 }) } });
    const exp = exports.exp as (x: number) => number;
    const f32 = new Float32Array(1);
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
    const xs = [0, -0, 1, -1, 0.5, 1e-30, -1e-30, 709.78, 710, -745.2, -746, Infinity, -Infinity, NaN, Math.LN2 / 2, -Math.LN2 * 1.5];
    // softmax's arguments, s - max rounded to float32: [-104, 0] and beyond; then the whole range
    for (let i = 0; i < 100_000; i++) xs.push((f32[0] = -Math.pow(2, 8 * random() - 20) * 100, f32[0]));
    for (let i = 0; i < 100_000; i++) xs.push(-120 * random());
    for (let i = 0; i < 50_000; i++) xs.push(1450 * random() - 740);
    // a few ulps either side of exp's branch thresholds (0.5 ln2, 1.5 ln2, 2^-28, 1), both signs
    const bits = new BigInt64Array(1);
    const value = new Float64Array(bits.buffer);
    for (const edge of [0.34657359027997264, 1.0397207708399179, 2 ** -28, 1]) {
      for (let ulp = -40; ulp <= 40; ulp++) {
        value[0] = edge;
        bits[0] = bits[0]! + BigInt(ulp);
        xs.push(value[0]!, -value[0]!);
      }
    }
    const differ = xs.filter((x) => !Object.is(exp(x), Math.exp(x)));
    expect(differ.slice(0, 5)).toEqual([]);
    // the two-lane version the softmax rule runs for K a multiple of 4 (|x| < 700, no NaN)
    const expLane = exports.expLane as (a: number, b: number, lane: number) => number;
    const inRange = xs.filter((x) => Math.abs(x) < 700);
    expect(inRange.length).toBeGreaterThan(200_000);
    const differLanes = inRange.filter((x, i) => {
      const other = inRange[(i * 7919) % inRange.length]!;
      return !Object.is(expLane(x, other, 0), Math.exp(x)) || !Object.is(expLane(other, x, 1), Math.exp(x));
    });
    expect(differLanes.slice(0, 5)).toEqual([]);
  });

  it('gives the same bytes over a shared memory (threaded tfjs-backend-wasm: 4 GiB maximum) as over a plain one', () => {
    const plain = runOn(bytes(SLOT_UPDATE_WASM), new WebAssembly.Memory({ initial: 2 }));
    const shared = runOn(bytes(SLOT_UPDATE_WASM_SHARED), new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true }));
    expect(plain.some((b) => b !== 0)).toBe(true);
    expect(Buffer.from(shared).equals(Buffer.from(plain))).toBe(true);
    // and the plain module refuses a shared memory (why two variants ship)
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(bytes(SLOT_UPDATE_WASM)), { env: { memory: new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true }) } })).toThrow();
  });
});
