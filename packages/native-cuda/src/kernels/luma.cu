// RGB → gray with libjpeg's fixed-point weights (jccolor.c rgb_gray_convert), for grayscale encodes of colour
// images: nvJPEG encodes gray only from a Y plane.
#include "kernels.h"

namespace jpegkit {
namespace {

constexpr int kScaleBits = 16;
constexpr int32_t kHalf = 1 << (kScaleBits - 1);
constexpr int32_t Fix(double x) { return static_cast<int32_t>(x * (1L << kScaleBits) + 0.5); }
constexpr int32_t kR = Fix(0.29900), kG = Fix(0.58700), kB = Fix(0.11400);

__global__ void LumaKernel(ChannelLayout src, int width, int height, uint8_t* dst, int64_t dstPitch) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= width || y >= height) return;
  const uint8_t* in = src.base + y * src.rowPitch + static_cast<int64_t>(x) * src.step;
  const int32_t r = in[src.offset[0]], g = in[src.offset[1]], b = in[src.offset[2]];
  dst[y * dstPitch + x] = static_cast<uint8_t>((kR * r + kG * g + kB * b + kHalf) >>
                                               kScaleBits);
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
