// The second half of JPEG encoding on the GPU, bit-exact with libjpeg-turbo: per 8×8 block of a component
// plane (encode-sample.wgsl), level shift by 128 (jcdctmgr.c convsamp), libjpeg's accurate integer forward DCT
// (jfdctint.c jpeg_fdct_islow: CONST_BITS 13, PASS1_BITS 2, output scaled up by 8) and quantisation (jcdctmgr.c
// quantize: |x| rounded-divided by 8 · quantval, sign restored — what its reciprocal multiply computes exactly).
// Coefficients are written as int16 pairs in natural order, 32 words per block, blocks row by row over the
// padded grid; blocks past the image (the MCU padding) are zero — libjpeg's coefficient writer replaces them.

#include "encode-params.wgsl"

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> plane: array<u32>;
// 8 · quantval per coefficient, natural order.
@group(0) @binding(2) var<storage, read> divisors: array<u32, 64>;
@group(0) @binding(3) var<storage, read_write> coefficients: array<u32>;

#include "islow-fixed-point.wgsl"

var<private> block: array<i32, 64>;

// One 1-D pass over the 8 values at base, base + stride, … base + 7 · stride. The first pass (rows) keeps
// PASS1_BITS of extra precision; the second (columns) removes it.
fn fdct8(base: u32, stride: u32, firstPass: bool) {
  let d0 = block[base];
  let d1 = block[base + stride];
  let d2 = block[base + 2u * stride];
  let d3 = block[base + 3u * stride];
  let d4 = block[base + 4u * stride];
  let d5 = block[base + 5u * stride];
  let d6 = block[base + 6u * stride];
  let d7 = block[base + 7u * stride];
  let tmp0 = d0 + d7;
  let tmp7 = d0 - d7;
  let tmp1 = d1 + d6;
  let tmp6 = d1 - d6;
  let tmp2 = d2 + d5;
  let tmp5 = d2 - d5;
  let tmp3 = d3 + d4;
  let tmp4 = d3 - d4;

  // Even part.
  let tmp10 = tmp0 + tmp3;
  let tmp13 = tmp0 - tmp3;
  let tmp11 = tmp1 + tmp2;
  let tmp12 = tmp1 - tmp2;
  var shift: u32;
  if (firstPass) {
    block[base] = (tmp10 + tmp11) << PASS1_BITS;
    block[base + 4u * stride] = (tmp10 - tmp11) << PASS1_BITS;
    shift = CONST_BITS - PASS1_BITS;
  } else {
    block[base] = descale(tmp10 + tmp11, PASS1_BITS);
    block[base + 4u * stride] = descale(tmp10 - tmp11, PASS1_BITS);
    shift = CONST_BITS + PASS1_BITS;
  }
  let z1e = (tmp12 + tmp13) * FIX_0_541196100;
  block[base + 2u * stride] = descale(z1e + tmp13 * FIX_0_765366865, shift);
  block[base + 6u * stride] = descale(z1e + tmp12 * -FIX_1_847759065, shift);

  // Odd part.
  var z1 = tmp4 + tmp7;
  var z2 = tmp5 + tmp6;
  var z3 = tmp4 + tmp6;
  var z4 = tmp5 + tmp7;
  let z5 = (z3 + z4) * FIX_1_175875602;
  let t4 = tmp4 * FIX_0_298631336;
  let t5 = tmp5 * FIX_2_053119869;
  let t6 = tmp6 * FIX_3_072711026;
  let t7 = tmp7 * FIX_1_501321110;
  z1 = z1 * -FIX_0_899976223;
  z2 = z2 * -FIX_2_562915447;
  z3 = z3 * -FIX_1_961570560 + z5;
  z4 = z4 * -FIX_0_390180644 + z5;
  block[base + 7u * stride] = descale(t4 + z1 + z3, shift);
  block[base + 5u * stride] = descale(t5 + z2 + z4, shift);
  block[base + 3u * stride] = descale(t6 + z2 + z3, shift);
  block[base + stride] = descale(t7 + z1 + z4, shift);
}

fn quantized(x: i32, divisor: i32) -> i32 {
  let q = (abs(x) + (divisor >> 1u)) / divisor;
  return select(q, -q, x < 0);
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let bx = id.x;
  let by = id.y;
  if (bx >= params.blocksPerRow || by >= params.blockRows) {
    return;
  }
  let out = params.outOffset + (by * params.blocksPerRow + bx) * 32u;
  if (bx >= params.widthInBlocks || by >= params.heightInBlocks) {
    for (var i = 0u; i < 32u; i++) {
      coefficients[out + i] = 0u;
    }
    return;
  }
  let quads = params.planeWidth / 4u;
  for (var row = 0u; row < 8u; row++) {
    let at = (by * 8u + row) * quads + bx * 2u;
    let left = plane[at];
    let right = plane[at + 1u];
    for (var i = 0u; i < 4u; i++) {
      block[row * 8u + i] = i32((left >> (8u * i)) & 255u) - 128;
      block[row * 8u + 4u + i] = i32((right >> (8u * i)) & 255u) - 128;
    }
  }
  for (var row = 0u; row < 8u; row++) {
    fdct8(row * 8u, 1u, true);
  }
  for (var column = 0u; column < 8u; column++) {
    fdct8(column, 8u, false);
  }
  for (var i = 0u; i < 32u; i++) {
    let even = quantized(block[2u * i], i32(divisors[2u * i]));
    let odd = quantized(block[2u * i + 1u], i32(divisors[2u * i + 1u]));
    coefficients[out + i] = (u32(even) & 0xffffu) | (u32(odd) << 16u);
  }
}
