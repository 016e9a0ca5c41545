// The exact mode's dequantisation + accurate integer IDCT (libjpeg's islow, exact-math.cuh): one thread per
// 8×8 block, the blocks of up to three components in one launch. The block's coefficients are staged through
// shared memory so a warp's global loads are contiguous.
#include "exact-math.cuh"
#include "exact.h"

namespace jpegkit {
namespace {

constexpr int kThreads = 64;

struct IdctJobs {
  ExactIdctJob job[3];
  int64_t first[4];  // first[j]: index of job j's first block in the launch; first[count] = total
  int32_t count;
};

__global__ void __launch_bounds__(kThreads) ExactIdctKernel(IdctJobs jobs) {
  __shared__ int16_t staged[kThreads * 64];
  __shared__ int16_t tables[3][64];
  for (int i = threadIdx.x; i < jobs.count * 64; i += blockDim.x) tables[i / 64][i % 64] = jobs.job[i / 64].quant[i % 64];

  const int64_t base = static_cast<int64_t>(blockIdx.x) * kThreads;
  const int64_t total = jobs.first[jobs.count];
  // Cooperative load of this thread block's coefficient blocks (they may span two components).
  for (int i = threadIdx.x; i < kThreads * 64; i += blockDim.x) {
    const int64_t block = base + i / 64;
    if (block >= total) break;
    int j = 0;
    while (block >= jobs.first[j + 1]) ++j;
    staged[i] = jobs.job[j].coefficients[(block - jobs.first[j]) * 64 + i % 64];
  }
  __syncthreads();

  const int64_t block = base + threadIdx.x;
  if (block >= total) return;
  int j = 0;
  while (block >= jobs.first[j + 1]) ++j;
  const ExactIdctJob& job = jobs.job[j];
  const int64_t index = block - jobs.first[j];
  const int64_t row = index / job.blocksPerRow, col = index % job.blocksPerRow;
  uint8_t* out = job.plane + row * 8 * job.pitch + col * 8;
  exact::IdctIslowBlock(staged + threadIdx.x * 64, tables[j], out, job.pitch);
}

}  // namespace

cudaError_t LaunchExactIdct(const ExactIdctJob* list, int count, cudaStream_t stream) {
  if (count <= 0 || count > 3) return cudaErrorInvalidValue;
  IdctJobs jobs{};
  jobs.count = count;
  jobs.first[0] = 0;
  for (int j = 0; j < count; ++j) {
    jobs.job[j] = list[j];
    jobs.first[j + 1] = jobs.first[j] + static_cast<int64_t>(list[j].blocksPerRow) * list[j].blockRows;
  }
  for (int j = count; j < 3; ++j) jobs.first[j + 1] = jobs.first[count];
  const int64_t total = jobs.first[count];
  if (total == 0) return cudaSuccess;
  const int64_t grid = (total + kThreads - 1) / kThreads;
  if (grid > 0x7fffffff) return cudaErrorInvalidValue;
  ExactIdctKernel<<<static_cast<unsigned>(grid), kThreads, 0, stream>>>(jobs);
  return cudaGetLastError();
}

}  // namespace jpegkit
