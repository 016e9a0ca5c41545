// The pure copies: crop, rotate 90/180/270, flip, flop and the 8 EXIF orientations (core's crop.ts, rotate.ts,
// flip.ts, orient.ts) — one kernel, the op picked by RemapParams::mode. Exact by construction.
#include "ops-kernels.h"
#include "ops-launch.cuh"
#include "ops-math.cuh"

namespace jpegkit {
namespace {

__global__ void RemapOpKernel(const RemapParams p) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= p.dst.width || y >= p.dst.height) return;
  opsmath::RemapPixel(p, x, y);
}

}  // namespace

cudaError_t LaunchOpsRemap(const RemapParams& params, cudaStream_t stream) {
  if (params.dst.width <= 0 || params.dst.height <= 0) return cudaSuccess;
  RemapOpKernel<<<OpsGrid(params.dst.width, params.dst.height), OpsBlock(), 0, stream>>>(params);
  return cudaGetLastError();
}

}  // namespace jpegkit
