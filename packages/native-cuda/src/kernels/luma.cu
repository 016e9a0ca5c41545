// RGB → gray with libjpeg's fixed-point weights (jccolor.c rgb_gray_convert: our encoder's LumaOf), for nvJPEG's
// grayscale encodes of colour images: nvJPEG encodes gray only from a Y plane.
#include "encode-math.cuh"
#include "kernels.h"

namespace jpegkit {
namespace {

__global__ void LumaKernel(ChannelLayout src, int width, int height, uint8_t* dst, int64_t dstPitch) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= width || y >= height) return;
  const uint8_t* in = src.base + y * src.rowPitch + static_cast<int64_t>(x) * src.step;
  dst[y * dstPitch + x] = static_cast<uint8_t>(enc::LumaOf(in[src.offset[0]], in[src.offset[1]], in[src.offset[2]]));
}

}  // namespace

cudaError_t LaunchLuma(const ChannelLayout& src, int width, int height, uint8_t* dst, int64_t dstPitch,
                       cudaStream_t stream) {
  if (width <= 0 || height <= 0) return cudaSuccess;
  const dim3 block(32, 8);
  const dim3 grid((width + block.x - 1) / block.x, (height + block.y - 1) / block.y);
  LumaKernel<<<grid, block, 0, stream>>>(src, width, height, dst, dstPitch);
  return cudaGetLastError();
}

}  // namespace jpegkit
