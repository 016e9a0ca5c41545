// Fancy upsampling + YCbCr → RGB (exact-math.cuh) fused with the result's layout and EXIF orientation: one
// thread per display pixel of each image, reading the component planes the IDCT wrote and writing the result in
// its format. blockIdx.z picks the image of a batched launch.
#include "exact-math.cuh"
#include "exact.h"

namespace jpegkit {
namespace {

__global__ void __launch_bounds__(256) ExactImagesKernel(const ExactImageJob* jobs) {
  __shared__ ExactImageJob job;
  static_assert(sizeof(ExactImageJob) % 4 == 0, "ExactImageJob is copied as words");
  const int thread = threadIdx.y * blockDim.x + threadIdx.x;
  const uint32_t* from = reinterpret_cast<const uint32_t*>(jobs + blockIdx.z);
  uint32_t* to = reinterpret_cast<uint32_t*>(&job);
  for (int i = thread; i < static_cast<int>(sizeof(ExactImageJob) / 4); i += blockDim.x * blockDim.y) to[i] = from[i];
  __syncthreads();
  const int x = blockIdx.x * blockDim.x + threadIdx.x;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= job.outWidth || y >= job.outHeight) return;
  exact::ExactImagePixel(job, x, y);
}

}  // namespace

cudaError_t LaunchExactImages(const ExactImageJob* jobs, int count, int maxWidth, int maxHeight, cudaStream_t stream) {
  if (count <= 0 || maxWidth <= 0 || maxHeight <= 0) return cudaSuccess;
  if (count > 65535) return cudaErrorInvalidValue;
  const dim3 block(32, 8);
  const dim3 grid((maxWidth + block.x - 1) / block.x, (maxHeight + block.y - 1) / block.y, count);
  ExactImagesKernel<<<grid, block, 0, stream>>>(jobs);
  return cudaGetLastError();
}

}  // namespace jpegkit
