// Dequantisation + libjpeg's accurate integer IDCT (islow, exact-math.cuh): eight threads per 8×8 block (one
// column each in pass 1, one row each in pass 2, through shared memory), the blocks of many components of many
// images in one launch.
#include "exact-math.cuh"
#include "exact.h"

namespace jpegkit {
namespace {

constexpr int kBlocksPerCta = 32;
constexpr int kThreads = kBlocksPerCta * 8;
constexpr int kRowWords = 65;  // one block's pass-1 output, padded so the blocks of a warp use different banks

// The entry holding launch-wide block `block` (entries are in launch order).
__device__ int EntryOf(const ExactIdctEntry* entries, int count, int64_t block) {
  int low = 0, high = count - 1;
  while (low < high) {
    const int middle = (low + high + 1) / 2;
    if (entries[middle].firstBlock <= block) low = middle;
    else high = middle - 1;
  }
  return low;
}

__global__ void __launch_bounds__(kThreads) ExactIdctKernel(const ExactIdctEntry* entries, int count, int64_t total) {
  __shared__ int ws[kBlocksPerCta * kRowWords];
  const int local = threadIdx.x / 8, lane = threadIdx.x % 8;
  const int64_t block = static_cast<int64_t>(blockIdx.x) * kBlocksPerCta + local;
  const bool live = block < total;
  int* w = ws + local * kRowWords;
  int entry = 0;
  int64_t index = 0;
  if (live) {
    entry = EntryOf(entries, count, block);
    index = block - entries[entry].firstBlock;
    const ExactIdctJob& job = entries[entry].job;
    exact::IdctColumn(job.coefficients + index * 64 + lane, job.quant + lane, w + lane);
  }
  __syncthreads();
  if (!live) return;
  const ExactIdctJob& job = entries[entry].job;
  const int64_t row = index / job.blocksPerRow, col = index % job.blocksPerRow;
  alignas(8) uint8_t out[8];
  exact::IdctRow(w + 8 * lane, out);
  // The block's columns start 8-byte aligned (plane pitches are multiples of 256).
  *reinterpret_cast<uint2*>(job.plane + (row * 8 + lane) * job.pitch + col * 8) = *reinterpret_cast<const uint2*>(out);
}

constexpr int kAssembleBlocks = 16;
constexpr int kAssembleThreads = 256;

__global__ void __launch_bounds__(kAssembleThreads)
    NaturalFromZigzagKernel(int16_t* blocks, const int16_t* dc, int64_t count) {
  __shared__ int16_t zigzag[kAssembleBlocks * 64];
  const int64_t first = static_cast<int64_t>(blockIdx.x) * kAssembleBlocks;
  const int values = static_cast<int>(min(static_cast<int64_t>(kAssembleBlocks), count - first)) * 64;
  int16_t* own = blocks + first * 64;
  for (int i = threadIdx.x; i < values; i += kAssembleThreads) zigzag[i] = own[i];
  __syncthreads();
  for (int i = threadIdx.x; i < values; i += kAssembleThreads) {
    const int b = i / 64;
    own[i] = exact::NaturalCoefficient(zigzag + b * 64, dc[first + b], i % 64, kZigzagOfDevice);
  }
}

}  // namespace

cudaError_t LaunchNaturalFromZigzag(int16_t* blocks, const int16_t* dc, int64_t count, cudaStream_t stream) {
  if (count <= 0) return cudaSuccess;
  const int64_t grid = (count + kAssembleBlocks - 1) / kAssembleBlocks;
  if (grid > 0x7fffffff) return cudaErrorInvalidValue;
  NaturalFromZigzagKernel<<<static_cast<unsigned>(grid), kAssembleThreads, 0, stream>>>(blocks, dc, count);
  return cudaGetLastError();
}

cudaError_t LaunchExactIdct(const ExactIdctEntry* entries, int count, int64_t blocks, cudaStream_t stream) {
  if (count <= 0 || blocks <= 0) return cudaSuccess;
  const int64_t grid = (blocks + kBlocksPerCta - 1) / kBlocksPerCta;
  if (grid > 0x7fffffff) return cudaErrorInvalidValue;
  ExactIdctKernel<<<static_cast<unsigned>(grid), kThreads, 0, stream>>>(entries, count, blocks);
  return cudaGetLastError();
}

}  // namespace jpegkit
