// Copying a kernel's read-only description (scan tables, encoder layout) from device memory into shared memory at
// the start of each thread block.
#pragma once

#include <cuda_runtime.h>

namespace jpegkit {

// *from into *to with every thread of the block, in 16-byte pieces, five loads in flight per thread before their
// stores: a couple of trips to L2 rather than one per word (a word-by-word loop held ~7% of the Huffman decode
// kernel's stall samples on one 1080p photo, ncu on an H200). Ends with the block's barrier.
template <typename T>
__device__ __forceinline__ void CopyToShared(const T* from, T* to) {
  static_assert(alignof(T) % 16 == 0 && sizeof(T) % 16 == 0, "copied in 16-byte pieces");
  constexpr int kQuads = static_cast<int>(sizeof(T) / 16), kBatch = 5;
  const uint4* source = reinterpret_cast<const uint4*>(from);
  uint4* target = reinterpret_cast<uint4*>(to);
  const int threads = static_cast<int>(blockDim.x * blockDim.y * blockDim.z);
  const int thread = static_cast<int>(threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z));
  for (int base = thread; base < kQuads; base += kBatch * threads) {
    uint4 piece[kBatch];
#pragma unroll
    for (int k = 0; k < kBatch; ++k) {
      if (base + k * threads < kQuads) piece[k] = source[base + k * threads];
    }
#pragma unroll
    for (int k = 0; k < kBatch; ++k) {
      if (base + k * threads < kQuads) target[base + k * threads] = piece[k];
    }
  }
  __syncthreads();
}

}  // namespace jpegkit
