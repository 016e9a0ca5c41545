// The arithmetic of unstuffing on the GPU (unstuff.h): __host__ __device__, so that the kernels (unstuff.cu) and
// the host harness (exact-host-test.cu, which checks it against UnstuffEntropy) run the same code.
#pragma once

#include <cstdint>
#include <cstring>

#include "huffman-math.cuh"
#include "unstuff.h"

namespace jpegkit {
namespace unstuff {

// One piece of the data: its bytes, and a bit per byte (bit b: byte b of the piece) saying which are data, which
// 0xFF, which 0x00; whether the byte before it is 0xFF, whether the byte after it is data and 0x00.
struct Piece {
  uint32_t words[kUnstuffPieceBytes / 4];  // little-endian: byte b is bits 8 (b % 4) of word b / 4
  uint32_t valid, ff, zero;
  bool ffBefore, zeroAfter;
};

// Bit k set where byte k of `word` equals `value`.
JK_UNSTUFF_FN uint32_t BytesEqual(uint32_t word, uint32_t value) {
#if defined(__CUDA_ARCH__)
  const uint32_t m = __vcmpeq4(word, value * 0x01010101u);  // 0xFF per equal byte
  return ((m >> 7) & 1u) | ((m >> 14) & 2u) | ((m >> 21) & 4u) | ((m >> 28) & 8u);
#else
  uint32_t bits = 0;
  for (int k = 0; k < 4; ++k) bits |= ((word >> (8 * k)) & 0xffu) == value ? 1u << k : 0u;
  return bits;
#endif
}

// Piece `piece` of the job's data (a multiple of 32 bytes in: the raw data is readable kUnstuffSlack past its end).
JK_UNSTUFF_FN Piece LoadPiece(const RawScanJob& job, uint32_t piece) {
  Piece p{};
  const uint32_t begin = piece * kUnstuffPieceBytes;
  if (begin >= job.rawBytes) return p;
#if defined(__CUDA_ARCH__)
  const uint4* at = reinterpret_cast<const uint4*>(job.raw + begin);
  const uint4 a = at[0], b = at[1];
  const uint32_t words[8] = {a.x, a.y, a.z, a.w, b.x, b.y, b.z, b.w};
  for (int k = 0; k < 8; ++k) p.words[k] = words[k];
#else
  std::memcpy(p.words, job.raw + begin, sizeof p.words);
#endif
  const uint32_t left = job.rawBytes - begin;
  p.valid = left >= 32 ? 0xffffffffu : (1u << left) - 1u;
  for (int k = 0; k < 8; ++k) {
    p.ff |= BytesEqual(p.words[k], 0xffu) << (4 * k);
    p.zero |= BytesEqual(p.words[k], 0x00u) << (4 * k);
  }
  p.ff &= p.valid;
  p.zero &= p.valid;
  p.ffBefore = begin > 0 && job.raw[begin - 1] == 0xff;
  p.zeroAfter = left > 32 && job.raw[begin + 32] == 0x00;
  return p;
}

// The bytes unstuffing drops: each one after a 0xFF.
JK_UNSTUFF_FN uint32_t DroppedBits(const Piece& p) { return ((p.ff << 1) | (p.ffBefore ? 1u : 0u)) & p.valid; }

// Whether a 0xFF of the piece is not stuffing: followed by anything but 0x00, or the data's last byte.
JK_UNSTUFF_FN bool Unclean(const Piece& p) {
  const uint32_t zeroNext = (p.zero >> 1) | (p.zeroAfter ? 0x80000000u : 0u);
  return (p.ff & ~zeroNext) != 0;
}

// Writes the piece's bytes that stay, in order, to `to`; returns how many.
JK_UNSTUFF_FN uint32_t KeepBytes(const Piece& p, uint8_t* to) {
  const uint32_t keep = p.valid & ~DroppedBits(p);
  uint32_t n = 0;
  for (int b = 0; b < kUnstuffPieceBytes; ++b) {
    if ((keep >> b) & 1u) to[n++] = static_cast<uint8_t>(p.words[b / 4] >> (8 * (b % 4)));
  }
  return n;
}

// A chunk the host cut from the raw data's size, once the unstuffed data's size is known: padding when it starts
// past the end, its interval's last when the end falls in it (the cut WriteChunks would have made).
JK_UNSTUFF_FN void FixChunk(GpuChunk& chunk, uint32_t dataBytes, int chunkBits) {
  if (chunk.image < 0) return;
  const uint32_t count = huff::ChunksOf(dataBytes, chunkBits);
  if (static_cast<uint32_t>(chunk.place) >= count) {
    chunk = huff::PaddingChunk();
  } else {
    chunk.last = static_cast<uint32_t>(chunk.place) + 1 == count ? 1 : 0;
  }
}

}  // namespace unstuff
}  // namespace jpegkit
