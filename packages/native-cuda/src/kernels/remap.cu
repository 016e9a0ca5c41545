// Orientation + channel rearrangement in one pass: planar RGB (nvJPEG's output) → interleaved RGBA/BGRA,
// planar ↔ interleaved, EXIF orientation applied on the way. Pure copies, so results are exact.
#include "kernels.h"
#include "orient.cuh"

namespace jpegkit {
namespace {

struct SourceMap {
  int channel[4];
};

__global__ void RemapKernel(ChannelLayout src, int srcWidth, int srcHeight, ChannelLayout dst, int dstWidth,
                            int dstHeight, SourceMap map, int orientation) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= dstWidth || y >= dstHeight) return;
  int sx, sy;
  StoredPixel(orientation, x, y, srcWidth, srcHeight, &sx, &sy);
  const uint8_t* in = src.base + sy * src.rowPitch + static_cast<int64_t>(sx) * src.step;
  uint8_t* out = dst.base + y * dst.rowPitch + static_cast<int64_t>(x) * dst.step;
  for (int c = 0; c < dst.channels; ++c) {
    const int from = map.channel[c];
    out[dst.offset[c]] = from < 0 ? uint8_t{255} : in[src.offset[from]];
  }
}

}  // namespace

cudaError_t LaunchRemap(const ChannelLayout& src, int srcWidth, int srcHeight, const ChannelLayout& dst,
                        const int source[4], int orientation, cudaStream_t stream) {
  const bool swap = orientation >= 5 && orientation <= 8;
  const int dstWidth = swap ? srcHeight : srcWidth;
  const int dstHeight = swap ? srcWidth : srcHeight;
  if (dstWidth <= 0 || dstHeight <= 0) return cudaSuccess;
  SourceMap map{{source[0], source[1], source[2], source[3]}};
  const dim3 block(32, 8);
  const dim3 grid((dstWidth + block.x - 1) / block.x, (dstHeight + block.y - 1) / block.y);
  RemapKernel<<<grid, block, 0, stream>>>(src, srcWidth, srcHeight, dst, dstWidth, dstHeight, map, orientation);
  return cudaGetLastError();
}

cudaError_t ProbeKernels() {
  cudaFuncAttributes attributes;
  return cudaFuncGetAttributes(&attributes, RemapKernel);
}

}  // namespace jpegkit
