// The arithmetic of the cuda backend's `exact` decode mode, bit for bit what libjpeg-turbo 2.1.5 computes for
// `djpeg -dct int` (written from its jidctint.c, jdsample.c, jdmainct.c, jdcolor.c and jdmaster.c; our own
// code): the accurate integer IDCT ("islow") with dequantisation and the post-IDCT range-limit table, fancy
// chroma upsampling (jdsample.c with do_fancy_upsampling = TRUE, which also rules out jdmerge.c) and the
// YCbCr → RGB fixed-point conversion.
//
// Every function is __host__ __device__: the GPU kernels (exact-idct.cu, exact-image.cu) and the host test
// harness (exact-host-test.cu, run against djpeg's references on machines without a GPU) call the same code.
#pragma once

#include <cstdint>

#include "exact.h"
#include "orient.cuh"
#include "zigzag.cuh"

#if defined(__CUDACC__)
#define JK_EXACT_FN __host__ __device__ __forceinline__
#else
#define JK_EXACT_FN inline
#endif

namespace jpegkit {
namespace exact {

// --- the progressive decoder's layout (progressive-scan.h) ----------------------------------------------------

// Natural-order coefficient n of a block the progressive decoder wrote: AC coefficients in zigzag order (its
// entry 0 unused), the DC value apart.
JK_EXACT_FN int16_t NaturalCoefficient(const int16_t* zigzag, int16_t dc, int n, const uint8_t* zigzagOf) {
  return n == 0 ? dc : zigzag[zigzagOf[n]];
}

// --- IDCT (jidctint.c, 8-bit samples) -----------------------------------------------------------------------

constexpr int kConstBits = 13;
constexpr int kPass1Bits = 2;
// FIX(x) = (INT32)(x * 2^13 + 0.5), the constants jidctint.c spells out for CONST_BITS 13.
constexpr int64_t kFix_0_298631336 = 2446;
constexpr int64_t kFix_0_390180644 = 3196;
constexpr int64_t kFix_0_541196100 = 4433;
constexpr int64_t kFix_0_765366865 = 6270;
constexpr int64_t kFix_0_899976223 = 7373;
constexpr int64_t kFix_1_175875602 = 9633;
constexpr int64_t kFix_1_501321110 = 12299;
constexpr int64_t kFix_1_847759065 = 15137;
constexpr int64_t kFix_1_961570560 = 16069;
constexpr int64_t kFix_2_053119869 = 16819;
constexpr int64_t kFix_2_562915447 = 20995;
constexpr int64_t kFix_3_072711026 = 25172;

// JLONG is 64 bits on LP64 Linux (libjpeg-turbo's reference builds); LEFT_SHIFT goes through unsigned long.
JK_EXACT_FN int64_t LeftShift(int64_t a, int bits) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) << bits);
}
// DESCALE: round half up, arithmetic right shift.
JK_EXACT_FN int64_t Descale(int64_t x, int bits) { return (x + (int64_t{1} << (bits - 1))) >> bits; }

// The post-IDCT part of libjpeg's sample_range_limit table (IDCT_range_limit = table + CENTERJSAMPLE),
// indexed by `value & RANGE_MASK` (1023): [0, 127] → value + 128, [128, 511] → 255, [512, 895] → 0,
// [896, 1023] → value − 896. So −512…511 clamp to 0…255 and anything further out wraps as libjpeg's does.
JK_EXACT_FN uint8_t IdctRangeLimit(int64_t value) {
  const int m = static_cast<int>(value) & 1023;
  if (m < 128) return static_cast<uint8_t>(m + 128);
  if (m < 512) return 255;
  if (m < 896) return 0;
  return static_cast<uint8_t>(m - 896);
}

// DEQUANTIZE: the coefficient (JCOEF, short) times the table entry as jddctmgr.c stores it for islow
// (ISLOW_MULT_TYPE = short, so 16-bit tables above 32767 read negative), in int.
JK_EXACT_FN int Dequantize(int16_t coef, int16_t quant) { return static_cast<int>(coef) * static_cast<int>(quant); }

// The odd part of the islow butterfly, the same in both passes: tmp0..tmp3 (inputs at frequencies 7, 5, 3, 1)
// become the four odd-part terms, in place.
JK_EXACT_FN void IdctOddPart(int64_t& tmp0, int64_t& tmp1, int64_t& tmp2, int64_t& tmp3) {
  int64_t z1 = tmp0 + tmp3;
  int64_t z2 = tmp1 + tmp2;
  int64_t z3 = tmp0 + tmp2;
  int64_t z4 = tmp1 + tmp3;
  const int64_t z5 = (z3 + z4) * kFix_1_175875602;
  tmp0 *= kFix_0_298631336;
  tmp1 *= kFix_2_053119869;
  tmp2 *= kFix_3_072711026;
  tmp3 *= kFix_1_501321110;
  z1 *= -kFix_0_899976223;
  z2 *= -kFix_2_562915447;
  z3 *= -kFix_1_961570560;
  z4 *= -kFix_0_390180644;
  z3 += z5;
  z4 += z5;
  tmp0 += z1 + z3;
  tmp1 += z2 + z4;
  tmp2 += z2 + z3;
  tmp3 += z1 + z4;
}

// Pass 1 of the islow IDCT on column c of a block: `in` and `q` point at the column's first coefficient and
// table entry (rows 8 apart); the column's 8 outputs, scaled up by 2^PASS1_BITS, go to w[0], w[8], … w[56].
JK_EXACT_FN void IdctColumn(const int16_t* in, const int16_t* q, int* w) {
  if (in[8] == 0 && in[16] == 0 && in[24] == 0 && in[32] == 0 && in[40] == 0 && in[48] == 0 && in[56] == 0) {
    const int dc = static_cast<int>(LeftShift(Dequantize(in[0], q[0]), kPass1Bits));
    for (int r = 0; r < 8; ++r) w[8 * r] = dc;
    return;
  }
  int64_t z2 = Dequantize(in[16], q[16]);
  int64_t z3 = Dequantize(in[48], q[48]);
  int64_t z1 = (z2 + z3) * kFix_0_541196100;
  int64_t tmp2 = z1 + z3 * -kFix_1_847759065;
  int64_t tmp3 = z1 + z2 * kFix_0_765366865;
  z2 = Dequantize(in[0], q[0]);
  z3 = Dequantize(in[32], q[32]);
  int64_t tmp0 = LeftShift(z2 + z3, kConstBits);
  int64_t tmp1 = LeftShift(z2 - z3, kConstBits);
  const int64_t tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

  tmp0 = Dequantize(in[56], q[56]);
  tmp1 = Dequantize(in[40], q[40]);
  tmp2 = Dequantize(in[24], q[24]);
  tmp3 = Dequantize(in[8], q[8]);
  IdctOddPart(tmp0, tmp1, tmp2, tmp3);

  constexpr int kShift = kConstBits - kPass1Bits;
  w[0] = static_cast<int>(Descale(tmp10 + tmp3, kShift));
  w[56] = static_cast<int>(Descale(tmp10 - tmp3, kShift));
  w[8] = static_cast<int>(Descale(tmp11 + tmp2, kShift));
  w[48] = static_cast<int>(Descale(tmp11 - tmp2, kShift));
  w[16] = static_cast<int>(Descale(tmp12 + tmp1, kShift));
  w[40] = static_cast<int>(Descale(tmp12 - tmp1, kShift));
  w[24] = static_cast<int>(Descale(tmp13 + tmp0, kShift));
  w[32] = static_cast<int>(Descale(tmp13 - tmp0, kShift));
}

// Pass 2 on row w[0 … 7] of pass 1's output: descaled by 2^3 and by the PASS1_BITS scaling, through the
// range-limit table, into o[0 … 7].
JK_EXACT_FN void IdctRow(const int* w, uint8_t* o) {
  if (w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0) {
    const uint8_t dc = IdctRangeLimit(Descale(w[0], kPass1Bits + 3));
    for (int c = 0; c < 8; ++c) o[c] = dc;
    return;
  }
  int64_t z2 = w[2];
  int64_t z3 = w[6];
  int64_t z1 = (z2 + z3) * kFix_0_541196100;
  int64_t tmp2 = z1 + z3 * -kFix_1_847759065;
  int64_t tmp3 = z1 + z2 * kFix_0_765366865;
  int64_t tmp0 = LeftShift(static_cast<int64_t>(w[0]) + w[4], kConstBits);
  int64_t tmp1 = LeftShift(static_cast<int64_t>(w[0]) - w[4], kConstBits);
  const int64_t tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

  tmp0 = w[7];
  tmp1 = w[5];
  tmp2 = w[3];
  tmp3 = w[1];
  IdctOddPart(tmp0, tmp1, tmp2, tmp3);

  constexpr int kShift = kConstBits + kPass1Bits + 3;
  o[0] = IdctRangeLimit(Descale(tmp10 + tmp3, kShift));
  o[7] = IdctRangeLimit(Descale(tmp10 - tmp3, kShift));
  o[1] = IdctRangeLimit(Descale(tmp11 + tmp2, kShift));
  o[6] = IdctRangeLimit(Descale(tmp11 - tmp2, kShift));
  o[2] = IdctRangeLimit(Descale(tmp12 + tmp1, kShift));
  o[5] = IdctRangeLimit(Descale(tmp12 - tmp1, kShift));
  o[3] = IdctRangeLimit(Descale(tmp13 + tmp0, kShift));
  o[4] = IdctRangeLimit(Descale(tmp13 - tmp0, kShift));
}

// One 8×8 block: `coef` 64 quantised coefficients in natural order, `quant` the 64 table entries as int16,
// `out` row 0 of the block's samples, `stride` bytes between rows. (The kernel runs the columns and rows of a
// block on 8 threads.)
JK_EXACT_FN void IdctIslowBlock(const int16_t* coef, const int16_t* quant, uint8_t* out, int64_t stride) {
  int ws[64];
  for (int c = 0; c < 8; ++c) IdctColumn(coef + c, quant + c, ws + c);
  for (int r = 0; r < 8; ++r) IdctRow(ws + 8 * r, out + r * stride);
}

// --- upsampling (jdsample.c with the context rows of jdmainct.c) --------------------------------------------

// The sample at (x, y) of a component plane: x < widthIn, y < heightIn (the caller clamps).
JK_EXACT_FN int SampleAt(const ExactPlane& p, int x, int y) {
  return p.data[static_cast<int64_t>(y) * p.pitch + x];
}

// The context row jdmainct.c gives next to row `row`: the row above (the first row is its own "above") or
// below (rows past the component's real height repeat its last real row, as set_bottom_pointers does).
JK_EXACT_FN int RowAbove(int row) { return row > 0 ? row - 1 : 0; }
JK_EXACT_FN int RowBelow(const ExactPlane& p, int row) { return row + 1 < p.heightIn ? row + 1 : p.heightIn - 1; }

// 3 × nearer + further of the two rows h1v2/h2v2 blend for output row `y` (column x of the plane).
JK_EXACT_FN int ColumnSum(const ExactPlane& p, int x, int y) {
  const int row = y >> 1;
  const int other = (y & 1) == 0 ? RowAbove(row) : RowBelow(p, row);
  return SampleAt(p, x, row) * 3 + SampleAt(p, x, other);
}

// The upsampled value of component plane `p` at output pixel (x, y), for the method chosen by PlanUpsample.
JK_EXACT_FN int UpsampleAt(const ExactPlane& p, int x, int y) {
  switch (p.method) {
    case kUpsampleH2V1Fancy: {
      // h2v1_fancy_upsample: the triangle filter along the row, biases +1 (even outputs) and +2 (odd outputs);
      // the first and last input columns pass through on their outer side.
      const int i = x >> 1;
      const int nearer = SampleAt(p, i, y) * 3;
      if ((x & 1) == 0) return i == 0 ? SampleAt(p, 0, y) : (nearer + SampleAt(p, i - 1, y) + 1) >> 2;
      return i == p.widthIn - 1 ? SampleAt(p, i, y) : (nearer + SampleAt(p, i + 1, y) + 2) >> 2;
    }
    case kUpsampleH1V2Fancy: {
      // h1v2_fancy_upsample: bias 1 towards the row above, 2 towards the row below.
      return (ColumnSum(p, x, y) + ((y & 1) == 0 ? 1 : 2)) >> 2;
    }
    case kUpsampleH2V2Fancy: {
      // h2v2_fancy_upsample: column sums (3 × nearer row + further row), then 3 × nearer + further column
      // with biases +8 (even outputs) and +7 (odd outputs); the edge columns use 4 × their own sum.
      const int i = x >> 1;
      const int self = ColumnSum(p, i, y);
      if ((x & 1) == 0) return i == 0 ? (self * 4 + 8) >> 4 : (self * 3 + ColumnSum(p, i - 1, y) + 8) >> 4;
      return i == p.widthIn - 1 ? (self * 4 + 7) >> 4 : (self * 3 + ColumnSum(p, i + 1, y) + 7) >> 4;
    }
    default:
      // fullsize_upsample (1×1), int_upsample and the box h2v1/h2v2_upsample (replication).
      return SampleAt(p, x / p.hExpand, y / p.vExpand);
  }
}

// The upsampled values of plane `p` at output pixels x0 … x0 + 3 of row y (x0 a multiple of 4, x0 + 3 inside the
// image): what UpsampleAt gives each, with the fancy methods' neighbouring columns read once for the four (their
// outputs x0 … x0 + 3 come from input columns i = x0 / 2 and i + 1, both inside the plane: only i can be its first
// column and i + 1 its last).
JK_EXACT_FN void UpsampleRun4(const ExactPlane& p, int x0, int y, int out[4]) {
  const int i = x0 >> 1;
  const bool first = i == 0, last = i + 1 == p.widthIn - 1;
  switch (p.method) {
    case kUpsampleH2V1Fancy: {
      const int s0 = SampleAt(p, i, y), s1 = SampleAt(p, i + 1, y);
      out[0] = first ? s0 : (s0 * 3 + SampleAt(p, i - 1, y) + 1) >> 2;
      out[1] = (s0 * 3 + s1 + 2) >> 2;
      out[2] = (s1 * 3 + s0 + 1) >> 2;
      out[3] = last ? s1 : (s1 * 3 + SampleAt(p, i + 2, y) + 2) >> 2;
      return;
    }
    case kUpsampleH2V2Fancy: {
      const int s0 = ColumnSum(p, i, y), s1 = ColumnSum(p, i + 1, y);
      out[0] = first ? (s0 * 4 + 8) >> 4 : (s0 * 3 + ColumnSum(p, i - 1, y) + 8) >> 4;
      out[1] = (s0 * 3 + s1 + 7) >> 4;
      out[2] = (s1 * 3 + s0 + 8) >> 4;
      out[3] = last ? (s1 * 4 + 7) >> 4 : (s1 * 3 + ColumnSum(p, i + 2, y) + 7) >> 4;
      return;
    }
    default:
      for (int k = 0; k < 4; ++k) out[k] = UpsampleAt(p, x0 + k, y);
  }
}

// --- colour (jdcolor.c) -------------------------------------------------------------------------------------

constexpr int kScaleBits = 16;
constexpr int32_t kOneHalf = int32_t{1} << (kScaleBits - 1);
constexpr int32_t kFix_1_40200 = 91881;  // FIX(1.40200) at SCALEBITS 16
constexpr int32_t kFix_1_77200 = 116130;
constexpr int32_t kFix_0_71414 = 46802;
constexpr int32_t kFix_0_34414 = 22554;

// sample_range_limit for the colour converter: a plain clamp over the range it is indexed with.
JK_EXACT_FN uint8_t Clamp255(int v) { return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v)); }

// ycc_rgb_convert with build_ycc_rgb_table's entries computed in place. libjpeg's JLONG products stay below
// 2^25 in magnitude here (|x| ≤ 128, constants < 2^17), so 32-bit arithmetic gives the same values.
JK_EXACT_FN void YccToRgb(int y, int cb, int cr, uint8_t* r, uint8_t* g, uint8_t* b) {
  const int32_t xb = cb - 128, xr = cr - 128;
  const int crr = (kFix_1_40200 * xr + kOneHalf) >> kScaleBits;
  const int cbb = (kFix_1_77200 * xb + kOneHalf) >> kScaleBits;
  const int32_t crg = -kFix_0_71414 * xr;
  const int32_t cbg = -kFix_0_34414 * xb + kOneHalf;
  *r = Clamp255(y + crr);
  *g = Clamp255(y + ((cbg + crg) >> kScaleBits));
  *b = Clamp255(y + cbb);
}

// The converted values of output pixel (x, y) of the frame: R, G, B from YCbCr (3 planes), or Y alone (1).
JK_EXACT_FN void ExactValues(const ExactFrame& f, int x, int y, uint8_t* v0, uint8_t* v1, uint8_t* v2) {
  if (f.outPlanes == 1) {
    *v0 = *v1 = *v2 = static_cast<uint8_t>(UpsampleAt(f.planes[0], x, y));
    return;
  }
  YccToRgb(UpsampleAt(f.planes[0], x, y), UpsampleAt(f.planes[1], x, y), UpsampleAt(f.planes[2], x, y), v0, v1, v2);
}

// ExactValues of output pixels x0 … x0 + 3 of row y (as UpsampleRun4 takes them): v[k][0…2] for pixel x0 + k.
JK_EXACT_FN void ExactValues4(const ExactFrame& f, int x0, int y, uint8_t v[4][3]) {
  int c0[4], c1[4], c2[4];
  UpsampleRun4(f.planes[0], x0, y, c0);
  if (f.outPlanes == 1) {
    for (int k = 0; k < 4; ++k) v[k][0] = v[k][1] = v[k][2] = static_cast<uint8_t>(c0[k]);
    return;
  }
  UpsampleRun4(f.planes[1], x0, y, c1);
  UpsampleRun4(f.planes[2], x0, y, c2);
  for (int k = 0; k < 4; ++k) YccToRgb(c0[k], c1[k], c2[k], &v[k][0], &v[k][1], &v[k][2]);
}

// Writes display pixel (x, y) of an image job from its converted values `v`, in the job's layout.
JK_EXACT_FN void WriteImagePixel(const ExactImageJob& job, int x, int y, const uint8_t v[3]) {
  uint8_t* out = job.out.base + static_cast<int64_t>(y) * job.out.rowPitch + static_cast<int64_t>(x) * job.out.step;
  for (int c = 0; c < 4; ++c) {
    if (c >= job.out.channels) break;
    const int from = job.source[c];
    out[job.out.offset[c]] = from < 0 ? uint8_t{255} : (from == 0 ? v[0] : (from == 1 ? v[1] : v[2]));
  }
}

// Display pixel (x, y) of an image job: its stored pixel's values, written in the job's layout.
JK_EXACT_FN void ExactImagePixel(const ExactImageJob& job, int x, int y) {
  int sx, sy;
  StoredPixel(job.orientation, x, y, job.frame.width, job.frame.height, &sx, &sy);
  uint8_t v[3];
  ExactValues(job.frame, sx, sy, &v[0], &v[1], &v[2]);
  WriteImagePixel(job, x, y, v);
}

}  // namespace exact
}  // namespace jpegkit
