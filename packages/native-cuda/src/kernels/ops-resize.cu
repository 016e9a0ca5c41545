// Resize with every filter, fit's crop/pad window, premultiplied alpha and linear light (core's resize.ts and
// fit.ts): a horizontal pass over every source row into a float intermediate, then a vertical pass writing the
// output window. The weight tables are core's computeContributions, computed in TS and uploaded.
#include "ops-kernels.h"
#include "ops-launch.cuh"
#include "ops-math.cuh"

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

}  // namespace

cudaError_t LaunchOpsResize(const ResizeParams& params, cudaStream_t stream) {
  if (params.dst.width <= 0 || params.dst.height <= 0) return cudaSuccess;
  if (!params.copy) {
    ResizeHorizontalKernel<<<OpsGrid(params.resizeWidth, params.src.height), OpsBlock(), 0, stream>>>(params);
    const cudaError_t error = cudaGetLastError();
    if (error != cudaSuccess) return error;
  }
  ResizeVerticalKernel<<<OpsGrid(params.dst.width, params.dst.height), OpsBlock(), 0, stream>>>(params);
  return cudaGetLastError();
}

}  // namespace jpegkit
