// Fancy upsampling + YCbCr → RGB (exact-math.cuh) fused with the result's layout and EXIF orientation: one
// thread per 4 display pixels of a row of each image, reading the component planes the IDCT wrote and writing the
// result in its format (upright interleaved 3- and 4-channel rows as whole words). blockIdx.z picks the image.
#include "exact-math.cuh"
#include "exact.h"

namespace jpegkit {
namespace {

constexpr int kPixelsPerThread = 4;  // ExactValues4's run

// Whether the job writes interleaved 3- or 4-channel pixels upright, so a thread's 4 pixels go out as whole words.
__device__ bool PackedRows(const ExactImageJob& job) {
  const ChannelLayout& o = job.out;
  if (job.orientation != 1 || (o.channels != 3 && o.channels != 4) || o.step != o.channels) return false;
  for (int c = 0; c < o.channels; ++c) {
    if (o.offset[c] != c) return false;
  }
  return (reinterpret_cast<uintptr_t>(o.base) & 3) == 0 && (o.rowPitch & 3) == 0;
}

// kPixelsPerThread pixels from x0 on row y as kChannels-byte pixels (PackedRows), stored as whole words.
template <int kChannels>
__device__ void PackedPixels(const ExactImageJob& job, int x0, int y) {
  uint32_t words[kChannels] = {};
  const int s0 = job.source[0], s1 = job.source[1], s2 = job.source[2];
  uint8_t values[kPixelsPerThread][3];
  exact::ExactValues4(job.frame, x0, y, values);
#pragma unroll
  for (int k = 0; k < kPixelsPerThread; ++k) {
    const uint8_t* v = values[k];
    const uint32_t channel[4] = {s0 == 0 ? v[0] : (s0 == 1 ? v[1] : v[2]), s1 == 0 ? v[0] : (s1 == 1 ? v[1] : v[2]),
                                 s2 == 0 ? v[0] : (s2 == 1 ? v[1] : v[2]), 255u};
#pragma unroll
    for (int c = 0; c < kChannels; ++c) {
      const int at = k * kChannels + c;  // byte of the thread's run (little-endian words)
      words[at / 4] |= channel[c] << (8 * (at % 4));
    }
  }
  uint32_t* out = reinterpret_cast<uint32_t*>(job.out.base + static_cast<int64_t>(y) * job.out.rowPitch +
                                              static_cast<int64_t>(x0) * kChannels);
#pragma unroll
  for (int i = 0; i < kChannels; ++i) out[i] = words[i];
}

__global__ void __launch_bounds__(256) ExactImagesKernel(const ExactImageJob* jobs) {
  __shared__ ExactImageJob job;
  static_assert(sizeof(ExactImageJob) % 4 == 0, "ExactImageJob is copied as words");
  const int thread = threadIdx.y * blockDim.x + threadIdx.x;
  const uint32_t* from = reinterpret_cast<const uint32_t*>(jobs + blockIdx.z);
  uint32_t* to = reinterpret_cast<uint32_t*>(&job);
  for (int i = thread; i < static_cast<int>(sizeof(ExactImageJob) / 4); i += blockDim.x * blockDim.y) to[i] = from[i];
  __syncthreads();
  const int x0 = (blockIdx.x * blockDim.x + threadIdx.x) * kPixelsPerThread;
  const int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x0 >= job.outWidth || y >= job.outHeight) return;
  if (x0 + kPixelsPerThread <= job.outWidth && PackedRows(job)) {
    if (job.out.channels == 3) PackedPixels<3>(job, x0, y);
    else PackedPixels<4>(job, x0, y);
    return;
  }
  for (int k = 0; k < kPixelsPerThread && x0 + k < job.outWidth; ++k) exact::ExactImagePixel(job, x0 + k, y);
}

}  // namespace

cudaError_t LaunchExactImages(const ExactImageJob* jobs, int count, int maxWidth, int maxHeight, cudaStream_t stream) {
  if (count <= 0 || maxWidth <= 0 || maxHeight <= 0) return cudaSuccess;
  if (count > 65535) return cudaErrorInvalidValue;
  const dim3 block(32, 8);
  const int columns = (maxWidth + kPixelsPerThread - 1) / kPixelsPerThread;
  const dim3 grid((columns + block.x - 1) / block.x, (maxHeight + block.y - 1) / block.y, count);
  ExactImagesKernel<<<grid, block, 0, stream>>>(jobs);
  return cudaGetLastError();
}

}  // namespace jpegkit
