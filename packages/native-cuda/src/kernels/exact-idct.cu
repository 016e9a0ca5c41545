// Dequantisation + libjpeg's accurate integer IDCT (islow, exact-math.cuh): one thread per 8×8 block, the blocks
// of many components of many images in one launch. Each thread block stages its 64 coefficient blocks through
// shared memory so a warp's global loads are contiguous.
#include "exact-math.cuh"
#include "exact.h"

namespace jpegkit {
namespace {

constexpr int kThreads = 64;

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
  __shared__ int16_t staged[kThreads * 64];
  __shared__ const int16_t* from[kThreads];
  const int64_t block = static_cast<int64_t>(blockIdx.x) * kThreads + threadIdx.x;
  int entry = 0;
  const int16_t* coefficients = nullptr;
  if (block < total) {
    entry = EntryOf(entries, count, block);
    coefficients = entries[entry].job.coefficients + (block - entries[entry].firstBlock) * 64;
  }
  from[threadIdx.x] = coefficients;
  __syncthreads();
  // Cooperative load of this thread block's coefficient blocks (they may belong to several entries).
  for (int i = threadIdx.x; i < kThreads * 64; i += kThreads) {
    const int16_t* source = from[i / 64];
    if (source == nullptr) break;  // past the last block (only the final thread block has any)
    staged[i] = source[i % 64];
  }
  __syncthreads();
  if (coefficients == nullptr) return;
  const ExactIdctJob& job = entries[entry].job;
  const int64_t index = block - entries[entry].firstBlock;
  const int64_t row = index / job.blocksPerRow, col = index % job.blocksPerRow;
  exact::IdctIslowBlock(staged + threadIdx.x * 64, job.quant, job.plane + row * 8 * job.pitch + col * 8, job.pitch);
}

}  // namespace

cudaError_t LaunchExactIdct(const ExactIdctEntry* entries, int count, int64_t blocks, cudaStream_t stream) {
  if (count <= 0 || blocks <= 0) return cudaSuccess;
  const int64_t grid = (blocks + kThreads - 1) / kThreads;
  if (grid > 0x7fffffff) return cudaErrorInvalidValue;
  ExactIdctKernel<<<static_cast<unsigned>(grid), kThreads, 0, stream>>>(entries, count, blocks);
  return cudaGetLastError();
}

}  // namespace jpegkit
