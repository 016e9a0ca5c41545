// Unsharp mask (core's sharpen.ts): separable Gaussian (core's gaussianWeights, uploaded), horizontal pass into a
// float plane per channel, then the vertical pass with the unsharp step; alpha copied. Radii up to
// kSharpenTileRadius run both in one kernel over tiles of the image (ops-tiles.cuh).
#include "ops-kernels.h"
#include "ops-launch.cuh"
#include "ops-math.cuh"
#include "ops-tiles.cuh"

namespace jpegkit {
namespace {

__global__ void SharpenHorizontalKernel(const SharpenParams p) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= p.src.width || y >= p.src.height) return;
  opsmath::SharpenHorizontal(p, x, y);
}

__global__ void SharpenVerticalKernel(const SharpenParams p) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= p.dst.width || y >= p.dst.height) return;
  opsmath::SharpenVertical(p, x, y);
}

template <int kC>
__global__ void __launch_bounds__(opsmath::kSharpenThreads) SharpenTileKernel(const SharpenParams p) {
  extern __shared__ double sharpenShared[];
  const opsmath::SharpenShared s = opsmath::SharpenSharedAt(p, sharpenShared);
  const int t = static_cast<int>(threadIdx.x);
  opsmath::SharpenTileStage<kC>(p, blockIdx.x, blockIdx.y, t, s);
  __syncthreads();
  opsmath::SharpenTileHorizontal<kC>(p, blockIdx.x, t, s);
  __syncthreads();
  opsmath::SharpenTileVertical<kC>(p, blockIdx.x, blockIdx.y, t, s);
}

}  // namespace

cudaError_t LaunchOpsSharpen(const SharpenParams& params, cudaStream_t stream) {
  if (params.dst.width <= 0 || params.dst.height <= 0) return cudaSuccess;
  if (opsmath::SharpenTiled(params)) {
    const dim3 tiles((params.dst.width + opsmath::kTileW - 1) / opsmath::kTileW,
                     (params.dst.height + opsmath::kSharpenTileH - 1) / opsmath::kSharpenTileH);
    const size_t bytes = opsmath::SharpenSharedBytes(params.radius, params.src.channels);
    opsmath::WithChannels(params.src.channels, [&](auto channels) {
      SharpenTileKernel<decltype(channels)::value><<<tiles, opsmath::kSharpenThreads, bytes, stream>>>(params);
    });
    return cudaGetLastError();
  }
  const dim3 grid = OpsGrid(params.src.width, params.src.height);
  SharpenHorizontalKernel<<<grid, OpsBlock(), 0, stream>>>(params);
  const cudaError_t error = cudaGetLastError();
  if (error != cudaSuccess) return error;
  SharpenVerticalKernel<<<grid, OpsBlock(), 0, stream>>>(params);
  return cudaGetLastError();
}

}  // namespace jpegkit
