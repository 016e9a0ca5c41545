// Unsharp mask (core's sharpen.ts): separable Gaussian (core's gaussianWeights, uploaded), horizontal pass into a
// float plane per channel, then the vertical pass with the unsharp step; alpha copied.
#include "ops-kernels.h"
#include "ops-launch.cuh"
#include "ops-math.cuh"

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

}  // namespace

cudaError_t LaunchOpsSharpen(const SharpenParams& params, cudaStream_t stream) {
  if (params.dst.width <= 0 || params.dst.height <= 0) return cudaSuccess;
  const dim3 grid = OpsGrid(params.src.width, params.src.height);
  SharpenHorizontalKernel<<<grid, OpsBlock(), 0, stream>>>(params);
  const cudaError_t error = cudaGetLastError();
  if (error != cudaSuccess) return error;
  SharpenVerticalKernel<<<grid, OpsBlock(), 0, stream>>>(params);
  return cudaGetLastError();
}

}  // namespace jpegkit
