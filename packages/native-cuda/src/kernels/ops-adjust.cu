// Brightness/contrast (core's adjust.ts) through core's 256-entry adjustTable, passed in the parameters; alpha
// copied. Exact by construction.
#include "ops-kernels.h"
#include "ops-launch.cuh"
#include "ops-math.cuh"

namespace jpegkit {
namespace {

__global__ void AdjustKernel(const AdjustParams p) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= p.dst.width || y >= p.dst.height) return;
  opsmath::AdjustPixel(p, x, y);
}

}  // namespace

cudaError_t LaunchOpsAdjust(const AdjustParams& params, cudaStream_t stream) {
  if (params.dst.width <= 0 || params.dst.height <= 0) return cudaSuccess;
  AdjustKernel<<<OpsGrid(params.dst.width, params.dst.height), OpsBlock(), 0, stream>>>(params);
  return cudaGetLastError();
}

}  // namespace jpegkit
