// Our baseline JPEG encoder on the GPU (encode.cu, arithmetic in encode-math.cuh): what a call describes and
// the launcher. Plain C++ so the .cc files that fill these in compile with g++.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace jpegkit {

// jcdctmgr.c's reciprocal quantisation of one coefficient: (|v| + correction) · reciprocal >> shift.
struct EncodeDivisor {
  uint32_t reciprocal, correction, shift;
};

// What every image of a call shares: components and sampling, the MCU's blocks, the quantisation divisors and
// the Huffman codes ((size << 16) | code, indexed by symbol). Table 0 is luma's, 1 chroma's.
struct alignas(16) EncodeLayout {
  int components;                 // 1 (gray) or 3 (YCbCr)
  int hmax, vmax, blocksInMcu;
  int h[3], v[3], table[3];
  int componentStart[3];          // first block of each component in an MCU
  int blockComponent[6], blockX[6], blockY[6];
  EncodeDivisor divisors[2][64];  // natural order
  uint32_t dc[2][16];
  uint32_t ac[2][256];
};

// One image of a call: its pixels (channel k of pixel (x, y) at base + offset[k] + y·rowPitch + x·step; `gray`:
// one channel) and its block grid. firstBlock indexes the call's coefficient and offset arrays.
struct EncodeImage {
  const uint8_t* base;
  int64_t rowPitch;
  int32_t step, gray;
  int64_t offset[3];
  int32_t width, height, mcuCols, mcuRows;
  int32_t blocksWide[3], blocksHigh[3];
  int64_t firstBlock, blocks;
  // The image's part of the byte arena: its coded bytes at arenaAt (arenaBytes of them at most), its stuffed
  // bytes at twice that in the stuffed half.
  int64_t arenaAt, arenaBytes;
};

// What the GPU reports per image: the entropy-coded bits, where its bytes went and how many (stuffed), and
// whether its part of the byte arena was too small (then nothing was written; the host asks again).
struct EncodeResult {
  uint64_t bits;
  int64_t unstuffedAt, stuffedAt, length;
  uint32_t overflow, pad;
};

// Device memory of one call (from the pool): `coefficients` 64 int16 per block, `acBits` and `offsets` one per
// block, the tile rows, `arena` bytes for the coded data (zeroed by the launcher: the first `unstuffedBytes` hold the bits, the
// rest the stuffed bytes). The stuffed bytes land in `host`
// (pinned, mapped; as large as the arena's stuffed part) at each result's stuffedAt, the results in `hostResults`.
struct EncodeBuffers {
  const EncodeLayout* layout;  // device copy
  const EncodeImage* images;   // device copy
  int imageCount;
  int64_t maxBlocks;           // most blocks of one image
  int16_t* coefficients;
  uint32_t* acBits;
  uint64_t* offsets;
  uint8_t* arena;
  int64_t unstuffedBytes, stuffedBytes;
  EncodeResult* results;       // device
  uint8_t* host;               // pinned host memory (UVA)
  EncodeResult* hostResults;   // pinned host memory
  // Per image a row of tile sums: bits per tile of 256 blocks, stuffed bytes per tile of 4,096 coded bytes.
  unsigned long long* bitTiles;
  long long* stuffTiles;
  int64_t maxBitTiles, maxStuffTiles;
};

// The tiles of the offsets and stuffing kernels, for sizing EncodeBuffers' tile rows.
constexpr int64_t kEncodeBitTile = 256, kEncodeStuffTile = 4096;

// Queues the whole encode of a call on `stream`; the caller waits for the stream, then reads hostResults.
cudaError_t LaunchJpegEncode(const EncodeBuffers& buffers, cudaStream_t stream);

}  // namespace jpegkit
