// Resize with every filter, fit's crop/pad window, premultiplied alpha and linear light (core's resize.ts and
// fit.ts): a horizontal pass over every source row into a float intermediate, then a vertical pass writing the
// output window — or both in one kernel over tiles of the output (ops-tiles.cuh). The weight tables are core's
// computeContributions, computed in TS and uploaded.
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

template <int kC>
cudaError_t LaunchResizeTiles(const ResizeParams& params, cudaStream_t stream) {
  static const cudaError_t opted = cudaFuncSetAttribute(
      ResizeTileKernel<kC>, cudaFuncAttributeMaxDynamicSharedMemorySize, opsmath::kResizeTileShared);
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
