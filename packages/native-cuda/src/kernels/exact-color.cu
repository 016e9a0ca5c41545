// The exact mode's fancy upsampling + YCbCr → RGB (exact-math.cuh), fused: one thread per output pixel reads
// the component planes the IDCT wrote and writes planar RGB (or Y). The remap kernel then lays the planes out
// in the requested format and orientation.
#include "exact-math.cuh"
#include "exact.h"

namespace jpegkit {
namespace {

__global__ void ExactColorKernel(ExactFrame frame, uint8_t* out, int64_t pitch) {
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= frame.width || y >= frame.height) return;
  exact::ExactPixel(frame, x, y, out + y * pitch + x, pitch * frame.height);
}

}  // namespace

cudaError_t LaunchExactColor(const ExactFrame& frame, uint8_t* out, int64_t pitch, cudaStream_t stream) {
  if (frame.width <= 0 || frame.height <= 0) return cudaSuccess;
  const dim3 block(32, 8);
  const dim3 grid((frame.width + block.x - 1) / block.x, (frame.height + block.y - 1) / block.y);
  ExactColorKernel<<<grid, block, 0, stream>>>(frame, out, pitch);
  return cudaGetLastError();
}

}  // namespace jpegkit
