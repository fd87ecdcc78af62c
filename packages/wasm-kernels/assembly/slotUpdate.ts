// The fused slot update as a WebAssembly SIMD module (AssemblyScript). It imports the memory of the
// tfjs-backend-wasm module and works on tensors where they live, given their byte offsets. Built by
// scripts/buildSlotUpdateWasm.mjs into src/slotUpdateWasmBinary.ts; the module must hold no data
// segment, no start function and no globals that touch memory (it shares tfjs's heap).
//
// Every operation is the one `slotUpdateLoop` (packages/core/src/fused/slotUpdate.ts) rounds to
// float32, in the same order, so the results are the same bits: f32 mul/add/sub/div are correctly
// rounded in both, wasm has no FMA outside relaxed SIMD (not used), and Binaryen does not reassociate
// floating point. The softmax's exp is V8's (fdlibm's) algorithm in double, as JS's Math.exp is.

/**
 * One pass over `n` connections of `k` options each (float32, row-major `[n, k]`):
 *
 *     g ← grad·W_k (+ wd·s when wd ≠ 0);   v ← μ·v + g;   s ← s − lr·v
 *
 * writing the new scores and velocities (in place when the out pointers equal the in pointers), then
 * each connection's next option: `rule` 0 the argmax (first of the maximum, NaN never chosen), 1 an
 * inverse-CDF draw from softmax(s), 2 one from p ∝ max(s, 0), with one uniform per connection.
 * `options` holds `k` floats shared by all connections when `shared` is 1. `scratch` is room for `k`
 * floats (sampling rules only).
 */
export function slotUpdate(
  scores: usize,
  velocity: usize,
  options: usize,
  shared: i32,
  grad: usize,
  uniforms: usize,
  scratch: usize,
  lr: f32,
  momentum: f32,
  weightDecay: f32,
  rule: i32,
  outScores: usize,
  outVelocity: usize,
  outIndices: usize,
  outWeights: usize,
  n: i32,
  k: i32,
): void {
  const rowBytes = (<usize>k) << 2;
  const vectors = (k & 3) == 0;
  const lrv = f32x4.splat(lr);
  const muv = f32x4.splat(momentum);
  const wdv = f32x4.splat(weightDecay);
  const four = i32x4.splat(4);
  for (let i = 0; i < n; i++) {
    const base = <usize>i * rowBytes;
    const optionsRow = shared != 0 ? options : options + base;
    const gi = load<f32>(grad + ((<usize>i) << 2));
    let best: f32 = -Infinity;
    let bestK: i32 = 0;
    if (vectors) {
      const gv = f32x4.splat(gi);
      let bestV = f32x4.splat(-Infinity);
      let bestI = i32x4.splat(0);
      let at = i32x4(0, 1, 2, 3);
      for (let j: usize = 0; j < rowBytes; j += 16) {
        const s = v128.load(scores + base + j);
        let g = f32x4.mul(gv, v128.load(optionsRow + j));
        if (weightDecay != 0) g = f32x4.add(g, f32x4.mul(s, wdv));
        const v = f32x4.add(f32x4.mul(v128.load(velocity + base + j), muv), g);
        const next = f32x4.sub(s, f32x4.mul(v, lrv));
        v128.store(outVelocity + base + j, v);
        v128.store(outScores + base + j, next);
        // per lane: the first position of its maximum above -Infinity (NaN compares false)
        const greater = f32x4.gt(next, bestV);
        bestV = v128.bitselect(next, bestV, greater);
        bestI = v128.bitselect(at, bestI, greater);
        at = i32x4.add(at, four);
      }
      // across lanes: the largest value, the lowest index on ties; all -Infinity/NaN leaves index 0
      best = f32x4.extract_lane(bestV, 0);
      bestK = i32x4.extract_lane(bestI, 0);
      const b1 = f32x4.extract_lane(bestV, 1);
      const i1 = i32x4.extract_lane(bestI, 1);
      if (b1 > best || (b1 == best && i1 < bestK)) {
        best = b1;
        bestK = i1;
      }
      const b2 = f32x4.extract_lane(bestV, 2);
      const i2 = i32x4.extract_lane(bestI, 2);
      if (b2 > best || (b2 == best && i2 < bestK)) {
        best = b2;
        bestK = i2;
      }
      const b3 = f32x4.extract_lane(bestV, 3);
      const i3 = i32x4.extract_lane(bestI, 3);
      if (b3 > best || (b3 == best && i3 < bestK)) {
        best = b3;
        bestK = i3;
      }
    } else {
      for (let j = 0; j < k; j++) {
        const at = base + ((<usize>j) << 2);
        const s = load<f32>(scores + at);
        let g: f32 = gi * load<f32>(optionsRow + ((<usize>j) << 2));
        if (weightDecay != 0) g = g + s * weightDecay;
        const v: f32 = load<f32>(velocity + at) * momentum + g;
        const next: f32 = s - v * lr;
        store<f32>(outVelocity + at, v);
        store<f32>(outScores + at, next);
        if (next > best) {
          best = next;
          bestK = j;
        }
      }
    }
    const chosen = rule == 0 ? bestK : sample(outScores + base, scratch, load<f32>(uniforms + ((<usize>i) << 2)), best, rule, k);
    store<i32>(outIndices + ((<usize>i) << 2), chosen);
    store<f32>(outWeights + ((<usize>i) << 2), load<f32>(optionsRow + ((<usize>chosen) << 2)));
  }
}

/** Inverse-CDF draw over p = softmax(s) (rule 1) or p ∝ max(s, 0) (rule 2), as slotUpdateLoop draws it. */
function sample(row: usize, scratch: usize, u: f32, max: f32, rule: i32, k: i32): i32 {
  let total: f64 = 0;
  let j = 0;
  if (rule == 1 && (k & 3) == 0) {
    // four at a time: s - max in float32, exp of each pair in double lanes (expPair, the same
    // operations as exp), rounded to float32; the sum stays sequential in double, as the loop's
    const maxv = f32x4.splat(max);
    const limit = f64x2.splat(700);
    for (; j < k; j += 4) {
      const d = f32x4.sub(v128.load(row + ((<usize>j) << 2)), maxv);
      const low = f64x2.promote_low_f32x4(d);
      const high = f64x2.promote_low_f32x4(v128.shuffle<f32>(d, d, 2, 3, 0, 1));
      // NaN, infinities and |x| >= 700 take exp's scalar branches
      if (!v128.all_true<i64>(v128.and(f64x2.lt(f64x2.abs(low), limit), f64x2.lt(f64x2.abs(high), limit)))) break;
      const p = v128.shuffle<f32>(f32x4.demote_f64x2_zero(expPair(low)), f32x4.demote_f64x2_zero(expPair(high)), 0, 1, 4, 5);
      v128.store(scratch + ((<usize>j) << 2), p);
      total += <f64>f32x4.extract_lane(p, 0);
      total += <f64>f32x4.extract_lane(p, 1);
      total += <f64>f32x4.extract_lane(p, 2);
      total += <f64>f32x4.extract_lane(p, 3);
    }
  }
  for (; j < k; j++) {
    const s = load<f32>(row + ((<usize>j) << 2));
    const p: f64 = rule == 1 ? <f64>(<f32>exp(<f64>(s - max))) : Math.max(<f64>s, 0);
    store<f32>(scratch + ((<usize>j) << 2), <f32>p); // p is a float32 value: stored without loss
    total += p;
  }
  const total32 = <f32>total;
  const uniform = rule == 2 && !(total32 > 0);
  const divisor: f32 = rule == 2 ? Mathf.max(total32, <f32>1e-30) : total32;
  const even = <f32>(1.0 / <f64>k);
  let cdf: f32 = 0;
  let below = 0;
  for (let j = 0; j < k; j++) {
    cdf = cdf + (uniform ? even : load<f32>(scratch + ((<usize>j) << 2)) / divisor);
    if (cdf < u) below++;
  }
  return below < k - 1 ? below : k - 1;
}

// exp(x) by fdlibm's e_exp.c algorithm as V8 runs it for Math.exp (argument reduction by k·ln2,
// a degree-5 rational approximation on [-0.5 ln2, 0.5 ln2], scaling by 2^k), so that the softmax
// rule rounds to the same float32 as the JS loop. Constants are fdlibm's.
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700;
const P1: f64 = 1.66666666666666019037e-1;
const P2: f64 = -2.77777777770155933842e-3;
const P3: f64 = 6.61375632143793436117e-5;
const P4: f64 = -1.65339022054652515390e-6;
const P5: f64 = 4.13813679705723846039e-8;
const TWO_M1000: f64 = 9.33263618503218878990e-302;
const TWO_1023: f64 = 8.988465674311579539e307;

/** exp(x), bit for bit V8's `Math.exp` (checked against it in the package's tests). */
export function exp(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >> 32);
  const negative = <i32>(hx >> 31);
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) != 0) return x + x; // NaN
      return negative == 0 ? x : 0.0;
    }
    if (x > 7.09782712893383973096e2) return Infinity;
    if (x < -7.45133219101941108420e2) return 0.0;
  }
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x == 1.0) return 2.718281828459045;
      hi = x - (negative != 0 ? -LN2_HI : LN2_HI);
      lo = negative != 0 ? -LN2_LO : LN2_LO;
      k = 1 - negative - negative;
    } else {
      k = <i32>(INV_LN2 * x + (negative != 0 ? -0.5 : 0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x;
  }
  const t = x * x;
  const twopk = reinterpret<f64>((<u64>(<u32>(0x3ff00000 + ((k >= -1021 ? k : k + 1000) << 20)))) << 32);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * TWO_1023;
    return y * twopk;
  }
  return y * twopk * TWO_M1000;
}

/**
 * `exp` of two lanes at once for |x| < 700 (no NaN, no infinity): the same double operations as
 * `exp` on each lane, its branches taken as selects (|x| <= 0.5 ln2: k = 0, x kept; 0.5 ln2 < |x| <
 * 1.5 ln2: k = ±1; else k = trunc(x/ln2 ± 1/2); |x| < 2^-28: 1 + x; x = 1: e).
 */
function expPair(x: v128): v128 {
  const ax = f64x2.abs(x);
  const one = f64x2.splat(1);
  const negative = f64x2.lt(x, f64x2.splat(0));
  // the high-word thresholds of exp as doubles (for |x| a float compare is the integer compare of bits)
  const reduce = f64x2.ge(ax, f64x2.splat(reinterpret<f64>(<u64>0x3fd62e4300000000)));
  const middle = f64x2.lt(ax, f64x2.splat(reinterpret<f64>(<u64>0x3ff0a2b200000000)));
  const tiny = f64x2.lt(ax, f64x2.splat(reinterpret<f64>(<u64>0x3e30000000000000)));
  const half = v128.bitselect(f64x2.splat(-0.5), f64x2.splat(0.5), negative);
  let kf = f64x2.trunc(f64x2.add(f64x2.mul(f64x2.splat(INV_LN2), x), half));
  kf = v128.bitselect(v128.bitselect(f64x2.splat(-1), one, negative), kf, middle);
  kf = v128.and(kf, reduce); // +0 where not reduced
  const hi = f64x2.sub(x, f64x2.mul(kf, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(kf, f64x2.splat(LN2_LO));
  const r = v128.bitselect(f64x2.sub(hi, lo), x, reduce);
  const t = f64x2.mul(r, r);
  let poly = f64x2.add(f64x2.splat(P4), f64x2.mul(t, f64x2.splat(P5)));
  poly = f64x2.add(f64x2.splat(P3), f64x2.mul(t, poly));
  poly = f64x2.add(f64x2.splat(P2), f64x2.mul(t, poly));
  poly = f64x2.add(f64x2.splat(P1), f64x2.mul(t, poly));
  const c = f64x2.sub(r, f64x2.mul(t, poly));
  const two = f64x2.splat(2);
  const rc = f64x2.mul(r, c);
  // k = 0: 1 - ((x·c)/(c - 2) - x)
  const y0 = f64x2.sub(one, f64x2.sub(f64x2.div(rc, f64x2.sub(c, two)), r));
  // k != 0: (1 - ((lo - (x·c)/(2 - c)) - hi)) · 2^k, k >= -1011 here
  const yk = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, f64x2.div(rc, f64x2.sub(two, c))), hi));
  const k64 = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(kf));
  const twopk = i64x2.shl(i64x2.add(k64, i64x2.splat(1023)), 52);
  let y = v128.bitselect(f64x2.mul(yk, twopk), y0, reduce);
  y = v128.bitselect(f64x2.add(one, x), y, tiny);
  return v128.bitselect(f64x2.splat(2.718281828459045), y, f64x2.eq(x, one));
}

/** `expPair` of (a, b), lane `lane` (0 or 1) of the result: for the package's tests. */
export function expLane(a: f64, b: f64, lane: i32): f64 {
  const y = expPair(f64x2.replace_lane(f64x2.splat(a), 1, b));
  return lane == 0 ? f64x2.extract_lane(y, 0) : f64x2.extract_lane(y, 1);
}
