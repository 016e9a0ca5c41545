// Resize with every filter, fit's crop/pad window, premultiplied alpha and linear light (core's resize.ts and
// fit.ts): a horizontal pass over every source row into a float intermediate, then a vertical pass writing the
// output window — or both in one kernel over tiles of the output (ops-tiles.cuh). The weight tables are core's
// computeContributions, computed in TS and uploaded.
#include <atomic>
#include <cstdint>

#include "ops-kernels.h"
#include "ops-launch.cuh"
#include "ops-math.cuh"
#include "ops-tiles.cuh"

namespace jpegkit {
namespace {

__global__ void ResizeHorizontalKernel(const ResizeParams p) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= p.resizeWidth || y >= p.src.height) return;
  opsmath::ResizeHorizontal(p, x, y);
}

__global__ void ResizeVerticalKernel(const ResizeParams p) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= p.dst.width || y >= p.dst.height) return;
  opsmath::ResizeVertical(p, x, y);
}

// Three blocks of 512 per multiprocessor: at most 42 registers a thread.
template <int kC>
__global__ void __launch_bounds__(opsmath::kResizeThreads, 3) ResizeTileKernel(const ResizeParams p) {
  extern __shared__ double resizeShared[];
  const opsmath::ResizeShared s = opsmath::ResizeSharedAt(p, resizeShared);
  const int t = static_cast<int>(threadIdx.x);
  opsmath::ResizeTileStage<kC>(p, blockIdx.x, blockIdx.y, t, s);
  __syncthreads();
  opsmath::ResizeTileHorizontal<kC>(p, blockIdx.x, blockIdx.y, t, s);
  __syncthreads();
  opsmath::ResizeTileVertical<kC>(p, blockIdx.x, blockIdx.y, t, s);
}

// The tiles may take more than the default 48 KiB of shared memory. The opt-in holds for the current device only
// (a multi-GPU pool launches on several): once per device and instance.
template <int kC>
cudaError_t OptInSharedMemory() {
  static std::atomic<uint64_t> opted{0};
  int device = 0;
  cudaError_t error = cudaGetDevice(&device);
  if (error != cudaSuccess) return error;
  const uint64_t bit = device >= 0 && device < 64 ? uint64_t{1} << device : 0;
  if (bit != 0 && (opted.load(std::memory_order_relaxed) & bit) != 0) return cudaSuccess;
  error = cudaFuncSetAttribute(ResizeTileKernel<kC>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                               opsmath::kResizeTileShared);
  if (error == cudaSuccess) opted.fetch_or(bit, std::memory_order_relaxed);
  return error;
}

template <int kC>
cudaError_t LaunchResizeTiles(const ResizeParams& params, cudaStream_t stream) {
  const cudaError_t opted = OptInSharedMemory<kC>();
  if (opted != cudaSuccess) return opted;
  const dim3 grid((params.dst.width + opsmath::kTileW - 1) / opsmath::kTileW,
                  (params.dst.height + opsmath::kResizeTileH - 1) / opsmath::kResizeTileH);
  ResizeTileKernel<kC><<<grid, opsmath::kResizeThreads,
                         opsmath::ResizeSharedBytes(params.hTaps, kC, params.tileRows, params.tileCols), stream>>>(
      params);
  return cudaGetLastError();
}

}  // namespace

cudaError_t LaunchOpsResize(const ResizeParams& params, cudaStream_t stream) {
  if (params.dst.width <= 0 || params.dst.height <= 0) return cudaSuccess;
  if (params.tileRows > 0) {
    cudaError_t error = cudaSuccess;
    opsmath::WithChannels(params.src.channels,
                          [&](auto channels) { error = LaunchResizeTiles<decltype(channels)::value>(params, stream); });
    return error;
  }
  if (!params.copy) {
    ResizeHorizontalKernel<<<OpsGrid(params.resizeWidth, params.src.height), OpsBlock(), 0, stream>>>(params);
    const cudaError_t error = cudaGetLastError();
    if (error != cudaSuccess) return error;
  }
  ResizeVerticalKernel<<<OpsGrid(params.dst.width, params.dst.height), OpsBlock(), 0, stream>>>(params);
  return cudaGetLastError();
}

}  // namespace jpegkit
