// Byte stuffing removed on the GPU (the `kernels` decode route), for scans without restart markers in files that end
// with EOI: the entropy-coded data goes up as it is, the driver copying it from the caller's buffer while it
// uploads, and the host — which has not read it — cuts the chunks (huffman.h) from its raw size. Two kernels then
// drop the 0x00 after each 0xFF: the count kernel counts, per tile of the data, the bytes to drop, and marks the
// image kUnclean (huffman.h) where a 0xFF is followed by anything but 0x00 (a marker, a fill byte) or ends the
// data — the host then unstuffs it instead, as it does every scan with restart markers; the move kernel packs
// each tile's other bytes in shared memory and writes them out at the tile's offset less the bytes the tiles
// before it dropped, pads the unstuffed data with zeros, writes its size as the scan's end, and fixes the chunks
// the host cut: those past the end become padding, the one the end falls in its interval's last. Unstuffing on
// the host had cost a cold read and a write of the data before its upload could start: measured on an H200
// host, 87 µs for one 1080p photo's 433 KB, where the driver uploads it from the caller's buffer in 54, and the
// host's part of a pipeline lost the unstuffing's 80–94 µs. Plain C++ (no CUDA syntax); unstuff.cuh holds the
// arithmetic, unstuff.cu the kernels.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

#include "huffman.h"

#if defined(__CUDACC__)
#define JK_UNSTUFF_FN __host__ __device__ __forceinline__
#else
#define JK_UNSTUFF_FN inline
#endif

namespace jpegkit {

// One image's data to unstuff (in device memory, one per image of a call).
struct RawScanJob {
  const uint8_t* raw;    // the entropy-coded data as in the file, `rawBytes` of it (readable kUnstuffSlack past)
  uint8_t* out;          // the unstuffed data, then zeros up to `outBound`
  uint32_t* tileCounts;  // per tile of kUnstuffTileBytes: the bytes dropped in it
  uint32_t* status;      // the image's status word (kUnclean)
  GpuChunk* chunks;      // the image's chunks as the host cut them from rawBytes (with its padding), `chunkCount`
  uint32_t* dataEnd;     // the scan's interval end (intervalStarts[1]): the unstuffed data's size goes here
  uint32_t rawBytes, outBound, chunkCount;
  int32_t chunkBits;
};

// Bytes each thread takes (one piece: two 16-byte loads), threads per thread block (a tile of the data).
constexpr int kUnstuffPieceBytes = 32;
constexpr int kUnstuffThreads = 128;
constexpr int kUnstuffTileBytes = kUnstuffPieceBytes * kUnstuffThreads;
// Bytes the raw data must be readable past its end (whole pieces are loaded).
constexpr uint32_t kUnstuffSlack = 64;

// Tiles (words of tileCounts) an image of `outBound` output bytes needs.
JK_UNSTUFF_FN constexpr uint32_t UnstuffTiles(uint32_t outBound) {
  return (outBound + kUnstuffTileBytes - 1) / kUnstuffTileBytes;
}

// Unstuffs `count` images' data (`jobs` in device memory); `mostBound` is the largest outBound among them.
cudaError_t LaunchUnstuff(const RawScanJob* jobs, int count, uint32_t mostBound, cudaStream_t stream);

}  // namespace jpegkit
