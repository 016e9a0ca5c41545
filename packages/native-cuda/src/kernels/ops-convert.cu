// Conversion between the seven pixel formats (core's convert.ts): channels reordered, alpha added as 255 or
// dropped, libjpeg's luma for colour → gray, gray replicated for gray → colour. Exact by construction.
#include "ops-kernels.h"
#include "ops-launch.cuh"
#include "ops-math.cuh"

namespace jpegkit {
namespace {

__global__ void ConvertKernel(const ConvertParams p) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= p.dst.width || y >= p.dst.height) return;
  opsmath::ConvertPixel(p, x, y);
}

}  // namespace

cudaError_t LaunchOpsConvert(const ConvertParams& params, cudaStream_t stream) {
  if (params.dst.width <= 0 || params.dst.height <= 0) return cudaSuccess;
  ConvertKernel<<<OpsGrid(params.dst.width, params.dst.height), OpsBlock(), 0, stream>>>(params);
  return cudaGetLastError();
}

}  // namespace jpegkit
