// The arithmetic of our baseline JPEG encoder, byte for byte what libjpeg-turbo 2.1's `cjpeg -dct int` writes
// (written from its jccolor.c, jcsample.c, jcprepct.c, jccoefct.c, jfdctint.c, jcdctmgr.c, jchuff.c and the
// tables of ITU T.81 Annex K; our own code): RGB → YCbCr in 16-bit fixed point, libjpeg's edge expansion and
// downsampling with its alternating bias, the accurate integer forward DCT ("islow"), quantisation by
// reciprocal, dummy blocks at the right and bottom edges, and Huffman coding with the standard tables.
//
// Every function is __host__ __device__: the kernels (encode.cu) and the host harness (encode-host-test.cu,
// run against cjpeg's files on machines without a GPU) call the same code.
#pragma once

#include <cstdint>

#include "encode-kernels.h"
#include "zigzag.cuh"

#if defined(__CUDACC__)
#define JK_ENC_FN __host__ __device__ __forceinline__
#else
#define JK_ENC_FN inline
#endif
// Full unrolling where the GPU needs it (constant indices keep a block's arrays in registers).
#if defined(__CUDA_ARCH__)
#define JK_ENC_UNROLL _Pragma("unroll")
#else
#define JK_ENC_UNROLL
#endif

namespace jpegkit {
namespace enc {

// --- colour (jccolor.c: FIX(x) = x · 2^16 + 0.5, tables folded into sums) ---------------------------------------

JK_ENC_FN int LumaOf(int r, int g, int b) { return (19595 * r + 38470 * g + 7471 * b + 32768) >> 16; }
// Cb and Cr round with 0.5 − ε (ONE_HALF − 1) around the 128 offset, so they never reach 256.
JK_ENC_FN int CbOf(int r, int g, int b) { return (-11059 * r - 21709 * g + 32768 * b + (128 << 16) + 32767) >> 16; }
JK_ENC_FN int CrOf(int r, int g, int b) { return (32768 * r - 27439 * g - 5329 * b + (128 << 16) + 32767) >> 16; }

// Component `c` (0 Y, 1 Cb, 2 Cr) of the full-resolution pixel (x, y), both already inside the image.
JK_ENC_FN int SampleAt(const EncodeImage& image, int c, int x, int y) {
  const uint8_t* p = image.base + static_cast<int64_t>(y) * image.rowPitch + static_cast<int64_t>(x) * image.step;
  if (image.gray) return p[image.offset[0]];
  const int r = p[image.offset[0]], g = p[image.offset[1]], b = p[image.offset[2]];
  return c == 0 ? LumaOf(r, g, b) : c == 1 ? CbOf(r, g, b) : CrOf(r, g, b);
}

// The downsampled sample (x, y) of component `c`, as libjpeg's preprocessing leaves it: full-resolution columns
// and rows past the image repeat its last ones (expand_right_edge, the bottom row group's expand_bottom_edge),
// component rows past those the row groups made repeat the last one made (the pad to a whole iMCU row), and
// h2v1 / h2v2 average with the bias 0,1,0,1… / 1,2,1,2… along the row.
JK_ENC_FN int ComponentSample(const EncodeLayout& layout, const EncodeImage& image, int c, int x, int y) {
  const int he = layout.hmax / layout.h[c], ve = layout.vmax / layout.v[c];
  const int made = (image.height + layout.vmax - 1) / layout.vmax * layout.v[c];  // rows the row groups made
  if (y >= made) y = made - 1;
  const int lastX = image.width - 1, lastY = image.height - 1;
  auto at = [&](int fx, int fy) { return SampleAt(image, c, fx < lastX ? fx : lastX, fy < lastY ? fy : lastY); };
  if (he == 1 && ve == 1) return at(x, y);
  if (ve == 1) return (at(2 * x, y) + at(2 * x + 1, y) + (x & 1)) >> 1;  // h2v1
  return (at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1) + 1 + (x & 1)) >>
         2;  // h2v2
}

// --- forward DCT (jfdctint.c, CONST_BITS 13, PASS1_BITS 2) ---------------------------------------------------------

JK_ENC_FN int32_t Descale(int32_t x, int n) { return (x + (1 << (n - 1))) >> n; }

// One 8-point pass over data[0], data[stride], … data[7·stride]; `pass2` removes PASS1_BITS instead of adding it.
JK_ENC_FN void Fdct8(int32_t* d, int stride, bool pass2) {
  const int32_t tmp0 = d[0] + d[7 * stride], tmp7 = d[0] - d[7 * stride];
  const int32_t tmp1 = d[stride] + d[6 * stride], tmp6 = d[stride] - d[6 * stride];
  const int32_t tmp2 = d[2 * stride] + d[5 * stride], tmp5 = d[2 * stride] - d[5 * stride];
  const int32_t tmp3 = d[3 * stride] + d[4 * stride], tmp4 = d[3 * stride] - d[4 * stride];
  const int32_t tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
  const int shift = pass2 ? 13 + 2 : 13 - 2;
  d[0] = pass2 ? Descale(tmp10 + tmp11, 2) : (tmp10 + tmp11) * 4;
  d[4 * stride] = pass2 ? Descale(tmp10 - tmp11, 2) : (tmp10 - tmp11) * 4;
  const int32_t z1e = (tmp12 + tmp13) * 4433;
  d[2 * stride] = Descale(z1e + tmp13 * 6270, shift);
  d[6 * stride] = Descale(z1e + tmp12 * -15137, shift);
  int32_t z1 = tmp4 + tmp7, z2 = tmp5 + tmp6, z3 = tmp4 + tmp6, z4 = tmp5 + tmp7;
  const int32_t z5 = (z3 + z4) * 9633;
  const int32_t t4 = tmp4 * 2446, t5 = tmp5 * 16819, t6 = tmp6 * 25172, t7 = tmp7 * 12299;
  z1 *= -7373;
  z2 *= -20995;
  z3 = z3 * -16069 + z5;
  z4 = z4 * -3196 + z5;
  d[7 * stride] = Descale(t4 + z1 + z3, shift);
  d[5 * stride] = Descale(t5 + z2 + z4, shift);
  d[3 * stride] = Descale(t6 + z2 + z3, shift);
  d[1 * stride] = Descale(t7 + z1 + z4, shift);
}

// Quantises the DCT output (natural order, scaled by 8) as jcdctmgr.c's quantize() does with the reciprocals
// of compute_reciprocal(): |v| + correction, times the reciprocal, shifted.
JK_ENC_FN int Quantize(int32_t value, const EncodeDivisor& q) {
  const uint32_t magnitude = static_cast<uint32_t>(value < 0 ? -value : value);
  const int quotient = static_cast<int>(((magnitude + q.correction) * q.reciprocal) >> q.shift);
  return value < 0 ? -quotient : quotient;
}

// --- block geometry ------------------------------------------------------------------------------------------------

// Where scan block `s` of an image lies: its component, block column and row in that component, and whether
// libjpeg makes it a dummy (past the component's blocks, inside the last MCU column or row).
struct BlockPlace {
  int component, bx, by;
  bool dummy;
};

JK_ENC_FN BlockPlace PlaceOf(const EncodeLayout& layout, const EncodeImage& image, int64_t s) {
  const int64_t mcu = s / layout.blocksInMcu;
  const int j = static_cast<int>(s - mcu * layout.blocksInMcu);
  const int mcuX = static_cast<int>(mcu % image.mcuCols), mcuY = static_cast<int>(mcu / image.mcuCols);
  BlockPlace place;
  place.component = layout.blockComponent[j];
  const int c = place.component;
  place.bx = mcuX * layout.h[c] + layout.blockX[j];
  place.by = mcuY * layout.v[c] + layout.blockY[j];
  place.dummy = place.bx >= image.blocksWide[c] || place.by >= image.blocksHigh[c];
  return place;
}

// Thread `t`'s scan block when an image's threads go component by component, each over its blocks of the MCU
// grid row by row (so neighbouring threads do neighbouring blocks of one component); t < the image's blocks.
JK_ENC_FN int64_t ScanIndexOf(const EncodeLayout& layout, const EncodeImage& image, int64_t t) {
  int c = 0;
  int64_t inComponent = t;
  for (; c < layout.components - 1; ++c) {
    const int64_t count = static_cast<int64_t>(image.mcuCols) * image.mcuRows * layout.h[c] * layout.v[c];
    if (inComponent < count) break;
    inComponent -= count;
  }
  const int h = layout.h[c], v = layout.v[c];
  const int64_t wide = static_cast<int64_t>(image.mcuCols) * h;
  const int64_t bx = inComponent % wide, by = inComponent / wide;
  return ((by / v) * image.mcuCols + bx / h) * layout.blocksInMcu + layout.componentStart[c] + (by % v) * h + bx % h;
}

// The real block whose DC a dummy block repeats (jccoefct.c): one at the right edge takes its left neighbour's,
// a row at the bottom takes the last block of the row above in its MCU (itself maybe a right-edge dummy).
JK_ENC_FN void DummySource(const EncodeLayout& layout, const EncodeImage& image, BlockPlace* place) {
  const int c = place->component;
  const int firstX = place->bx - place->bx % layout.h[c];
  while (place->bx >= image.blocksWide[c] || place->by >= image.blocksHigh[c]) {
    if (place->by >= image.blocksHigh[c] && place->by % layout.v[c] != 0) {
      --place->by;
      place->bx = firstX + layout.h[c] - 1;
    } else {
      --place->bx;
    }
  }
}

// The block whose samples scan block `s` codes: itself, or for a dummy the real block it repeats the DC of.
JK_ENC_FN BlockPlace SourceOf(const EncodeLayout& layout, const EncodeImage& image, int64_t s) {
  BlockPlace place = PlaceOf(layout, image, s);
  if (place.dummy) DummySource(layout, image, &place);
  return place;
}

// --- one block on eight lanes ------------------------------------------------------------------------------------
//
// A block is coded by eight lanes (eight threads of a warp on the GPU; the host harness runs each step for lane
// 0…7 in turn): lane l takes row l through the row pass of the DCT, then column l through the column pass and
// the quantisation, then zigzag positions 8l…8l + 7 through the Huffman coding. Between the steps the lanes meet
// (__syncwarp) and see what the others left in the block's BlockLanes. One thread per block left a 960×540
// image with ~190 warps on the whole GPU, each running ~3,000 dependent instructions (H200: 92 µs).

constexpr int kBlockLanes = 8;

// What a block's lanes share (shared memory on the GPU).
struct alignas(16) BlockLanes {
  int32_t rows[8][9];  // the row pass's results, a row per lane (the pad keeps a column's reads off one bank)
  int16_t zigzag[64];  // the quantised coefficients in zigzag order
  uint8_t nonzero[8];  // bit i of byte l: AC coefficient 8l + i (zigzag) is not zero
};

// Step 1, lane `lane`: row `lane` of the block at (bx, by) of component c, level-shifted, through the row pass.
JK_ENC_FN void RowPass(const EncodeLayout& layout, const EncodeImage& image, const BlockPlace& place, int lane,
                       BlockLanes& b) {
  int32_t row[8];
JK_ENC_UNROLL
  for (int x = 0; x < 8; ++x) {
    row[x] = ComponentSample(layout, image, place.component, place.bx * 8 + x, place.by * 8 + lane) - 128;
  }
  Fdct8(row, 1, false);
JK_ENC_UNROLL
  for (int x = 0; x < 8; ++x) b.rows[lane][x] = row[x];
}

// Step 2, lane `lane`: column `lane` through the column pass and quantisation, into the zigzag order (`zigzagOf`:
// kZigzagOf, where the caller keeps it). A dummy keeps its DC alone.
JK_ENC_FN void ColumnPass(const EncodeLayout& layout, const BlockPlace& place, const uint8_t* zigzagOf, int lane,
                          BlockLanes& b) {
  int32_t column[8];
JK_ENC_UNROLL
  for (int y = 0; y < 8; ++y) column[y] = b.rows[y][lane];
  Fdct8(column, 1, true);
  const EncodeDivisor* q = layout.divisors[layout.table[place.component]];
JK_ENC_UNROLL
  for (int y = 0; y < 8; ++y) {
    const int n = y * 8 + lane;
    const int value = Quantize(column[y], q[n]);
    b.zigzag[zigzagOf[n]] = static_cast<int16_t>(place.dummy && n != 0 ? 0 : value);
  }
}

// Step 3, lane `lane`: which of its zigzag positions hold a nonzero AC coefficient.
JK_ENC_FN void NonzeroPass(int lane, BlockLanes& b) {
  uint32_t mask = 0;
JK_ENC_UNROLL
  for (int i = 0; i < 8; ++i) {
    const int k = lane * 8 + i;
    if (k != 0 && b.zigzag[k] != 0) mask |= 1u << i;
  }
  b.nonzero[lane] = static_cast<uint8_t>(mask);
}

// Every lane's bytes of `nonzero` as one mask: bit k for zigzag position k.
JK_ENC_FN uint64_t NonzeroMask(const BlockLanes& b) {
  uint64_t mask = 0;
JK_ENC_UNROLL
  for (int l = 0; l < 8; ++l) mask |= static_cast<uint64_t>(b.nonzero[l]) << (8 * l);
  return mask;
}

// --- Huffman coding (jchuff.c, standard tables) ------------------------------------------------------------------

JK_ENC_FN int BitLength(int value) {
  const unsigned magnitude = static_cast<unsigned>(value < 0 ? -value : value);
#if defined(__CUDA_ARCH__)
  return 32 - __clz(magnitude);
#else
  return magnitude == 0 ? 0 : 32 - __builtin_clz(magnitude);
#endif
}

JK_ENC_FN int CodeSize(uint32_t entry) { return static_cast<int>(entry >> 16); }

JK_ENC_FN int LowestBit(uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __ffsll(static_cast<long long>(x)) - 1;
#else
  return __builtin_ctzll(x);
#endif
}

JK_ENC_FN int HighestBit(uint64_t x) {
#if defined(__CUDA_ARCH__)
  return 63 - __clzll(static_cast<long long>(x));
#else
  return 63 - __builtin_clzll(x);
#endif
}

// Lane `lane`'s share of a block's AC codes as jchuff.c writes them: for each nonzero coefficient at its zigzag
// positions, the ZRLs for each 16 zeros before it (since the nonzero one before, or position 0) and its run/size
// code; lane 7 then the EOB when position 63 is zero. For every code, `sink(entry, value, n)` with the code's
// (size << 16) | code entry and the n value bits that follow it (ZRLs and the EOB have none). `mask`:
// NonzeroMask.
template <typename Sink>
JK_ENC_FN void ForEachLaneAcCode(const uint32_t* ac, const int16_t zigzag[64], uint64_t mask, int lane, Sink&& sink) {
  uint64_t mine = mask & (uint64_t{0xFF} << (8 * lane));
  while (mine != 0) {
    const int k = LowestBit(mine);
    mine &= mine - 1;
    const uint64_t before = mask & ((uint64_t{1} << k) - 1);
    int run = k - (before != 0 ? HighestBit(before) : 0) - 1;
    for (; run > 15; run -= 16) sink(ac[0xF0], 0, 0);
    const int v = zigzag[k];
    const int n = BitLength(v);
    sink(ac[(run << 4) + n], v, n);
  }
  if (lane == kBlockLanes - 1 && (mask >> 63) == 0) sink(ac[0], 0, 0);
}

// Bits of lane `lane`'s AC codes with their value bits.
JK_ENC_FN uint32_t LaneAcBits(const uint32_t* ac, const int16_t zigzag[64], uint64_t mask, int lane) {
  uint32_t bits = 0;
  ForEachLaneAcCode(ac, zigzag, mask, lane, [&](uint32_t entry, int, int n) { bits += CodeSize(entry) + n; });
  return bits;
}

JK_ENC_FN uint32_t DcBits(const uint32_t* dc, int diff) {
  const int n = BitLength(diff);
  return CodeSize(dc[n]) + n;
}

// Writes bits MSB first into 32-bit words of big-endian bytes, starting at a bit offset; `Or` ORs a finished
// word into place (atomically on the GPU: a block's first and last words are shared with its neighbours).
template <typename Or>
struct BitWriter {
  uint32_t* words;
  int64_t word;
  uint64_t acc;
  int count;  // bits in acc
  Or orWord;

  JK_ENC_FN BitWriter(uint32_t* w, uint64_t bitOffset, Or o)
      : words(w), word(static_cast<int64_t>(bitOffset >> 5)), acc(0), count(static_cast<int>(bitOffset & 31)), orWord(o) {}

  JK_ENC_FN void Put(uint32_t bits, int n) {
    if (n == 0) return;
    acc = (acc << n) | (bits & ((1u << n) - 1u));
    count += n;
    if (count >= 32) {
      count -= 32;
      orWord(words + word++, static_cast<uint32_t>(acc >> count));
      acc &= (uint64_t{1} << count) - 1;
    }
  }
  JK_ENC_FN void Code(uint32_t entry) { Put(entry & 0xFFFF, CodeSize(entry)); }
  JK_ENC_FN void Value(int v, int n) { Put(static_cast<uint32_t>(v < 0 ? v - 1 : v), n); }
  JK_ENC_FN void Flush() {
    if (count > 0) orWord(words + word, static_cast<uint32_t>(acc << (32 - count)));
  }
};

// The scan block before `s` of the same component (its DC predicts s's), or -1 for the first.
JK_ENC_FN int64_t PreviousOfComponent(const EncodeLayout& layout, int64_t s) {
  const int j = static_cast<int>(s % layout.blocksInMcu);
  const int c = layout.blockComponent[j];
  if (j > layout.componentStart[c]) return s - 1;
  const int64_t mcuStart = s - j;
  if (mcuStart == 0) return -1;
  return mcuStart - layout.blocksInMcu + layout.componentStart[c] + layout.h[c] * layout.v[c] - 1;
}

// The DC difference of scan block `s`; `coef` holds the image's blocks, 64 coefficients each.
JK_ENC_FN int DcDifference(const EncodeLayout& layout, const int16_t* coef, int64_t s) {
  const int64_t previous = PreviousOfComponent(layout, s);
  return coef[s * 64] - (previous < 0 ? 0 : coef[previous * 64]);
}

// All the bits of scan block `s` (its DC difference and AC codes).
JK_ENC_FN uint32_t BlockBits(const EncodeLayout& layout, const int16_t* coef, const uint32_t* acBits, int64_t s) {
  const int c = layout.blockComponent[s % layout.blocksInMcu];
  return DcBits(layout.dc[layout.table[c]], DcDifference(layout, coef, s)) + acBits[s];
}

// Lane `lane`'s codes of scan block `s` (lane 0 also the DC difference's), written into `words` from the block's
// bit `offset`; `laneBits[l]`: LaneAcBits of lane l (the lanes before this one come first).
template <typename Or>
JK_ENC_FN void EmitLane(const EncodeLayout& layout, const int16_t* coef, int64_t s, const int16_t zigzag[64],
                        uint64_t mask, const uint32_t laneBits[kBlockLanes], int lane, uint32_t* words,
                        uint64_t offset, Or orWord) {
  const int t = layout.table[layout.blockComponent[s % layout.blocksInMcu]];
  const int diff = DcDifference(layout, coef, s);
  if (lane > 0) {
    offset += DcBits(layout.dc[t], diff);
    for (int l = 0; l < lane; ++l) offset += laneBits[l];
  }
  BitWriter<Or> out(words, offset, orWord);
  if (lane == 0) {
    const int dn = BitLength(diff);
    out.Code(layout.dc[t][dn]);
    out.Value(diff, dn);
  }
  ForEachLaneAcCode(layout.ac[t], zigzag, mask, lane, [&](uint32_t entry, int v, int n) {
    out.Code(entry);
    out.Value(v, n);
  });
  out.Flush();
}

// Pads the coded bits to a whole byte with 1s (jchuff.c's flush) and returns the byte count.
JK_ENC_FN int64_t PadCodedBytes(uint8_t* bytes, uint64_t bits) {
  const int64_t n = static_cast<int64_t>((bits + 7) / 8);
  if ((bits & 7) != 0) bytes[n - 1] |= 0xFF >> (bits & 7);
  return n;
}

}  // namespace enc
}  // namespace jpegkit
