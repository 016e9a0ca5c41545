// Dequantisation + inverse DCT of every 8×8 block of up to four components, one invocation per block, bit for
// bit what libjpeg-turbo 2.1.5 computes for `djpeg -dct int` (written from the arithmetic of jidctint.c's
// islow IDCT and jidctred.c's reduced 4×4, 2×2 and 1×1 IDCTs; our own code, the same as the cuda backend's
// exact-math.cuh).
//
// libjpeg computes in 64-bit JLONGs; here everything is i32. The second pass and the range-limit table only
// look at bits 18..27 of its sums (DESCALE by ≥ 18, then & 1023), which wrapping i32 arithmetic keeps exact.
// The first pass keeps its full result, so it must not overflow: it cannot while every dequantised input is
// at most SAFE_DEQUANTISED in magnitude (the sums stay below 110000 × that < 2^31). Real images stay far below
// (coefficients of 8-bit data come out of a DCT of samples ±128); a block above the bound raises the
// STATUS_OVERFLOW flag and the host sends the image to the next backend rather than return other pixels.

// params layout (i32 words):
//   [0] component count, [1] total blocks
//   component c at 4 + 8c: [first block, blocks per row, coefficient word offset, plane offset,
//                           plane pitch (samples), scaled block size (8, 4, 2 or 1), 0, 0]
//   quantisation table of component c at 36 + 64c (natural order, as libjpeg's int16 ISLOW_MULT_TYPE)
@group(0) @binding(0) var<storage, read> coefficients: array<u32>;
@group(0) @binding(1) var<storage, read> params: array<i32>;
@group(0) @binding(2) var<storage, read_write> planes: array<u32>;
@group(0) @binding(3) var<storage, read_write> status: atomic<u32>;

const SAFE_DEQUANTISED: i32 = 16384;
const STATUS_OVERFLOW: u32 = 1u;
const COMPONENTS_AT: u32 = 4u;
const QUANT_AT: u32 = 36u;

#include "islow-fixed-point.wgsl"

// jidctred.c's extra constants.
const FIX_0_211164243: i32 = 1730;
const FIX_0_509795579: i32 = 4176;
const FIX_0_601344887: i32 = 4926;
const FIX_0_720959822: i32 = 5906;
const FIX_0_850430095: i32 = 6967;
const FIX_1_061594337: i32 = 8697;
const FIX_1_272758580: i32 = 10426;
const FIX_1_451774981: i32 = 11893;
const FIX_2_172734803: i32 = 17799;
const FIX_3_624509785: i32 = 29692;

var<private> deq: array<i32, 64>;
var<private> ws: array<i32, 64>;

// libjpeg's IDCT_range_limit table indexed by `value & RANGE_MASK`: −512…511 clamp to 0…255, further out wraps.
fn range_limit(value: i32) -> u32 {
  let m = value & 1023;
  if (m < 128) { return u32(m + 128); }
  if (m < 512) { return 255u; }
  if (m < 896) { return 0u; }
  return u32(m - 896);
}

fn coefficient(word_offset: u32, k: u32) -> i32 {
  let w = coefficients[word_offset + (k >> 1u)];
  if ((k & 1u) == 0u) { return (i32(w) << 16u) >> 16u; }
  return i32(w) >> 16u;
}

struct Odd { t0: i32, t1: i32, t2: i32, t3: i32 }

// The odd part of the islow butterfly (inputs at frequencies 7, 5, 3, 1).
fn odd_part(i0: i32, i1: i32, i2: i32, i3: i32) -> Odd {
  var z1 = i0 + i3;
  var z2 = i1 + i2;
  var z3 = i0 + i2;
  var z4 = i1 + i3;
  let z5 = (z3 + z4) * FIX_1_175875602;
  let t0 = i0 * FIX_0_298631336;
  let t1 = i1 * FIX_2_053119869;
  let t2 = i2 * FIX_3_072711026;
  let t3 = i3 * FIX_1_501321110;
  z1 = z1 * -FIX_0_899976223;
  z2 = z2 * -FIX_2_562915447;
  z3 = z3 * -FIX_1_961570560 + z5;
  z4 = z4 * -FIX_0_390180644 + z5;
  return Odd(t0 + z1 + z3, t1 + z2 + z4, t2 + z2 + z3, t3 + z1 + z4);
}

fn store(plane_at: u32, pitch: u32, x: u32, y: u32, value: u32) {
  planes[plane_at + y * pitch + x] = value;
}

fn idct_8x8(plane_at: u32, pitch: u32) {
  for (var c = 0u; c < 8u; c++) {
    if (deq[8u + c] == 0 && deq[16u + c] == 0 && deq[24u + c] == 0 && deq[32u + c] == 0 &&
        deq[40u + c] == 0 && deq[48u + c] == 0 && deq[56u + c] == 0) {
      let dc = deq[c] << PASS1_BITS;
      for (var r = 0u; r < 8u; r++) { ws[8u * r + c] = dc; }
      continue;
    }
    var z2 = deq[16u + c];
    var z3 = deq[48u + c];
    let z1 = (z2 + z3) * FIX_0_541196100;
    let tmp2 = z1 + z3 * -FIX_1_847759065;
    let tmp3 = z1 + z2 * FIX_0_765366865;
    z2 = deq[c];
    z3 = deq[32u + c];
    let tmp0 = (z2 + z3) << CONST_BITS;
    let tmp1 = (z2 - z3) << CONST_BITS;
    let tmp10 = tmp0 + tmp3;
    let tmp13 = tmp0 - tmp3;
    let tmp11 = tmp1 + tmp2;
    let tmp12 = tmp1 - tmp2;
    let o = odd_part(deq[56u + c], deq[40u + c], deq[24u + c], deq[8u + c]);
    let shift = CONST_BITS - PASS1_BITS;
    ws[c] = descale(tmp10 + o.t3, shift);
    ws[56u + c] = descale(tmp10 - o.t3, shift);
    ws[8u + c] = descale(tmp11 + o.t2, shift);
    ws[48u + c] = descale(tmp11 - o.t2, shift);
    ws[16u + c] = descale(tmp12 + o.t1, shift);
    ws[40u + c] = descale(tmp12 - o.t1, shift);
    ws[24u + c] = descale(tmp13 + o.t0, shift);
    ws[32u + c] = descale(tmp13 - o.t0, shift);
  }
  for (var r = 0u; r < 8u; r++) {
    let w = 8u * r;
    if (ws[w + 1u] == 0 && ws[w + 2u] == 0 && ws[w + 3u] == 0 && ws[w + 4u] == 0 && ws[w + 5u] == 0 &&
        ws[w + 6u] == 0 && ws[w + 7u] == 0) {
      let dc = range_limit(descale(ws[w], PASS1_BITS + 3u));
      for (var c = 0u; c < 8u; c++) { store(plane_at, pitch, c, r, dc); }
      continue;
    }
    let z2 = ws[w + 2u];
    let z3 = ws[w + 6u];
    let z1 = (z2 + z3) * FIX_0_541196100;
    let tmp2 = z1 + z3 * -FIX_1_847759065;
    let tmp3 = z1 + z2 * FIX_0_765366865;
    let tmp0 = (ws[w] + ws[w + 4u]) << CONST_BITS;
    let tmp1 = (ws[w] - ws[w + 4u]) << CONST_BITS;
    let tmp10 = tmp0 + tmp3;
    let tmp13 = tmp0 - tmp3;
    let tmp11 = tmp1 + tmp2;
    let tmp12 = tmp1 - tmp2;
    let o = odd_part(ws[w + 7u], ws[w + 5u], ws[w + 3u], ws[w + 1u]);
    let shift = CONST_BITS + PASS1_BITS + 3u;
    store(plane_at, pitch, 0u, r, range_limit(descale(tmp10 + o.t3, shift)));
    store(plane_at, pitch, 7u, r, range_limit(descale(tmp10 - o.t3, shift)));
    store(plane_at, pitch, 1u, r, range_limit(descale(tmp11 + o.t2, shift)));
    store(plane_at, pitch, 6u, r, range_limit(descale(tmp11 - o.t2, shift)));
    store(plane_at, pitch, 2u, r, range_limit(descale(tmp12 + o.t1, shift)));
    store(plane_at, pitch, 5u, r, range_limit(descale(tmp12 - o.t1, shift)));
    store(plane_at, pitch, 3u, r, range_limit(descale(tmp13 + o.t0, shift)));
    store(plane_at, pitch, 4u, r, range_limit(descale(tmp13 - o.t0, shift)));
  }
}

// jidctred.c's 4×4 odd part: the two sums shared by both passes (inputs at frequencies 7, 5, 3, 1).
fn odd_4x4(z1: i32, z2: i32, z3: i32, z4: i32) -> vec2<i32> {
  let t0 = z1 * -FIX_0_211164243 + z2 * FIX_1_451774981 + z3 * -FIX_2_172734803 + z4 * FIX_1_061594337;
  let t2 = z1 * -FIX_0_509795579 + z2 * -FIX_0_601344887 + z3 * FIX_0_899976223 + z4 * FIX_2_562915447;
  return vec2<i32>(t0, t2);
}

fn idct_4x4(plane_at: u32, pitch: u32) {
  for (var c = 0u; c < 8u; c++) {
    // Column 4 feeds nothing the second pass reads.
    if (c == 4u) { continue; }
    if (deq[8u + c] == 0 && deq[16u + c] == 0 && deq[24u + c] == 0 && deq[40u + c] == 0 &&
        deq[48u + c] == 0 && deq[56u + c] == 0) {
      let dc = deq[c] << PASS1_BITS;
      for (var r = 0u; r < 4u; r++) { ws[8u * r + c] = dc; }
      continue;
    }
    let tmp0 = deq[c] << (CONST_BITS + 1u);
    let tmp2 = deq[16u + c] * FIX_1_847759065 + deq[48u + c] * -FIX_0_765366865;
    let tmp10 = tmp0 + tmp2;
    let tmp12 = tmp0 - tmp2;
    let o = odd_4x4(deq[56u + c], deq[40u + c], deq[24u + c], deq[8u + c]);
    let shift = CONST_BITS - PASS1_BITS + 1u;
    ws[c] = descale(tmp10 + o.y, shift);
    ws[24u + c] = descale(tmp10 - o.y, shift);
    ws[8u + c] = descale(tmp12 + o.x, shift);
    ws[16u + c] = descale(tmp12 - o.x, shift);
  }
  for (var r = 0u; r < 4u; r++) {
    let w = 8u * r;
    if (ws[w + 1u] == 0 && ws[w + 2u] == 0 && ws[w + 3u] == 0 && ws[w + 5u] == 0 && ws[w + 6u] == 0 &&
        ws[w + 7u] == 0) {
      let dc = range_limit(descale(ws[w], PASS1_BITS + 3u));
      for (var c = 0u; c < 4u; c++) { store(plane_at, pitch, c, r, dc); }
      continue;
    }
    let tmp0 = ws[w] << (CONST_BITS + 1u);
    let tmp2 = ws[w + 2u] * FIX_1_847759065 + ws[w + 6u] * -FIX_0_765366865;
    let tmp10 = tmp0 + tmp2;
    let tmp12 = tmp0 - tmp2;
    let o = odd_4x4(ws[w + 7u], ws[w + 5u], ws[w + 3u], ws[w + 1u]);
    let shift = CONST_BITS + PASS1_BITS + 3u + 1u;
    store(plane_at, pitch, 0u, r, range_limit(descale(tmp10 + o.y, shift)));
    store(plane_at, pitch, 3u, r, range_limit(descale(tmp10 - o.y, shift)));
    store(plane_at, pitch, 1u, r, range_limit(descale(tmp12 + o.x, shift)));
    store(plane_at, pitch, 2u, r, range_limit(descale(tmp12 - o.x, shift)));
  }
}

fn odd_2x2(z7: i32, z5: i32, z3: i32, z1: i32) -> i32 {
  return z7 * -FIX_0_720959822 + z5 * FIX_0_850430095 + z3 * -FIX_1_272758580 + z1 * FIX_3_624509785;
}

fn idct_2x2(plane_at: u32, pitch: u32) {
  for (var c = 0u; c < 8u; c++) {
    // Columns 2, 4 and 6 feed nothing the second pass reads.
    if (c == 2u || c == 4u || c == 6u) { continue; }
    if (deq[8u + c] == 0 && deq[24u + c] == 0 && deq[40u + c] == 0 && deq[56u + c] == 0) {
      let dc = deq[c] << PASS1_BITS;
      ws[c] = dc;
      ws[8u + c] = dc;
      continue;
    }
    let tmp10 = deq[c] << (CONST_BITS + 2u);
    let tmp0 = odd_2x2(deq[56u + c], deq[40u + c], deq[24u + c], deq[8u + c]);
    let shift = CONST_BITS - PASS1_BITS + 2u;
    ws[c] = descale(tmp10 + tmp0, shift);
    ws[8u + c] = descale(tmp10 - tmp0, shift);
  }
  for (var r = 0u; r < 2u; r++) {
    let w = 8u * r;
    if (ws[w + 1u] == 0 && ws[w + 3u] == 0 && ws[w + 5u] == 0 && ws[w + 7u] == 0) {
      let dc = range_limit(descale(ws[w], PASS1_BITS + 3u));
      store(plane_at, pitch, 0u, r, dc);
      store(plane_at, pitch, 1u, r, dc);
      continue;
    }
    let tmp10 = ws[w] << (CONST_BITS + 2u);
    let tmp0 = odd_2x2(ws[w + 7u], ws[w + 5u], ws[w + 3u], ws[w + 1u]);
    let shift = CONST_BITS + PASS1_BITS + 3u + 2u;
    store(plane_at, pitch, 0u, r, range_limit(descale(tmp10 + tmp0, shift)));
    store(plane_at, pitch, 1u, r, range_limit(descale(tmp10 - tmp0, shift)));
  }
}

fn idct_1x1(plane_at: u32, pitch: u32) {
  store(plane_at, pitch, 0u, 0u, range_limit(descale(deq[0], 3u)));
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let block = gid.x + gid.y * groups.x * 64u;
  let total = u32(params[1]);
  if (block >= total) { return; }
  let count = u32(params[0]);
  var c = 0u;
  while (c + 1u < count && block >= u32(params[COMPONENTS_AT + 8u * (c + 1u)])) { c++; }
  let at = COMPONENTS_AT + 8u * c;
  let index = block - u32(params[at]);
  let blocks_per_row = u32(params[at + 1u]);
  let word_offset = u32(params[at + 2u]) + index * 32u;
  let pitch = u32(params[at + 4u]);
  let size = u32(params[at + 5u]);
  let row = index / blocks_per_row;
  let col = index % blocks_per_row;
  let plane_at = u32(params[at + 3u]) + row * size * pitch + col * size;

  let quant_at = QUANT_AT + 64u * c;
  var largest = 0;
  for (var k = 0u; k < 64u; k++) {
    let value = coefficient(word_offset, k) * params[quant_at + k];
    deq[k] = value;
    largest = max(largest, abs(value));
  }
  if (largest > SAFE_DEQUANTISED) { atomicOr(&status, STATUS_OVERFLOW); }

  switch (size) {
    case 8u: { idct_8x8(plane_at, pitch); }
    case 4u: { idct_4x4(plane_at, pitch); }
    case 2u: { idct_2x2(plane_at, pitch); }
    default: { idct_1x1(plane_at, pitch); }
  }
}
