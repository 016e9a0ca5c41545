// Resize with every filter, fit's crop/pad window, premultiplied alpha and linear light (core's resize.ts and
// fit.ts): a horizontal pass over every source row into a float intermediate, then a vertical pass writing the
// output window. The weight tables are core's computeContributions, computed in TS and uploaded.
#include "ops-kernels.h"
#include "ops-launch.cuh"
#include "ops-math.cuh"

namespace jpegkit {
namespace {

// Threads over elements (x: channel of a pixel) or pixels, rows by y.
__global__ void ResizeHorizontalKernel(const ResizeParams p) {
  const int e = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (e >= p.resizeWidth * p.src.channels || y >= p.src.height) return;
  opsmath::ResizeHorizontal(p, e, y);
}

__global__ void ResizeVerticalElementKernel(const ResizeParams p) {
  const int e = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (e >= p.dst.width * p.dst.channels || y >= p.dst.height) return;
  opsmath::ResizeVerticalElement(p, e, y);
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
    ResizeHorizontalKernel<<<OpsGrid(params.resizeWidth * params.src.channels, params.src.height), OpsBlock(), 0,
                             stream>>>(params);
    const cudaError_t error = cudaGetLastError();
    if (error != cudaSuccess) return error;
  }
  if (opsmath::ResizeVerticalPerElement(params)) {
    ResizeVerticalElementKernel<<<OpsGrid(params.dst.width * params.dst.channels, params.dst.height), OpsBlock(), 0,
                                  stream>>>(params);
  } else {
    ResizeVerticalKernel<<<OpsGrid(params.dst.width, params.dst.height), OpsBlock(), 0, stream>>>(params);
  }
  return cudaGetLastError();
}

}  // namespace jpegkit
