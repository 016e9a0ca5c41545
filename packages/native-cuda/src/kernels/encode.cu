// Our baseline JPEG encoder's kernels (see encode-kernels.h; the arithmetic is encode-math.cuh's):
//   1. coefficients: a thread per scan block — samples, forward DCT, quantisation, the AC codes' length;
//   2. offsets: a thread block per image — DC differences, every block's bit offset (a block-wide scan), the
//      image's place in the byte arena;
//   3. emit: a thread per scan block — its codes ORed into the image's zeroed bit buffer;
//   4. stuff: a thread block per image — the last byte padded with 1s, a 0x00 after every 0xFF;
//   5. publish: the stuffed bytes and the results copied to pinned host memory in 16-byte stores.
#include <cub/block/block_scan.cuh>

#include "encode-math.cuh"

namespace jpegkit {
namespace {

constexpr int kBlockThreads = 128;
constexpr int kScanThreads = 1024;

// The call's layout in shared memory: the AC tables are read at data-dependent indices.
__device__ void LoadLayout(const EncodeLayout* global, EncodeLayout* shared) {
  const uint32_t* from = reinterpret_cast<const uint32_t*>(global);
  uint32_t* to = reinterpret_cast<uint32_t*>(shared);
  for (int i = threadIdx.x; i < static_cast<int>(sizeof(EncodeLayout) / 4); i += blockDim.x) to[i] = from[i];
  __syncthreads();
}

__global__ void __launch_bounds__(kBlockThreads) CoefficientsKernel(EncodeBuffers b) {
  __shared__ EncodeLayout layout;
  LoadLayout(b.layout, &layout);
  const EncodeImage& image = b.images[blockIdx.y];
  const int64_t s = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (s >= image.blocks) return;
  int16_t block[64];
  b.acBits[image.firstBlock + s] = enc::ScanBlock(layout, image, s, block);
  uint4* out = reinterpret_cast<uint4*>(b.coefficients + (image.firstBlock + s) * 64);
  const uint4* in = reinterpret_cast<const uint4*>(block);
  for (int i = 0; i < 8; ++i) out[i] = in[i];
}

__global__ void __launch_bounds__(kScanThreads) OffsetsKernel(EncodeBuffers b) {
  __shared__ EncodeLayout layout;
  using Scan = cub::BlockScan<unsigned long long, kScanThreads>;
  __shared__ typename Scan::TempStorage scanStorage;
  LoadLayout(b.layout, &layout);
  const EncodeImage& image = b.images[blockIdx.x];
  const int16_t* coef = b.coefficients + image.firstBlock * 64;
  const uint32_t* acBits = b.acBits + image.firstBlock;
  uint64_t* offsets = b.offsets + image.firstBlock;
  const int64_t span = (image.blocks + kScanThreads - 1) / kScanThreads;
  const int64_t first = threadIdx.x * span, end = min(first + span, image.blocks);
  unsigned long long sum = 0;
  for (int64_t s = first; s < end; ++s) sum += enc::BlockBits(layout, coef, acBits, s);
  unsigned long long start = 0, total = 0;
  Scan(scanStorage).ExclusiveSum(sum, start, total);
  for (int64_t s = first; s < end; ++s) {
    offsets[s] = start;
    start += enc::BlockBits(layout, coef, acBits, s);
  }
  if (threadIdx.x == 0) {
    EncodeResult& r = b.results[blockIdx.x];
    r.bits = total;
    r.length = 0;
    const long long bytes = static_cast<long long>((total + 7) / 8);
    const long long unstuffed = (bytes + 15) / 16 * 16, stuffed = (2 * bytes + 15) / 16 * 16;
    const long long u = static_cast<long long>(atomicAdd(&b.counters[0], static_cast<unsigned long long>(unstuffed)));
    const long long t = static_cast<long long>(atomicAdd(&b.counters[1], static_cast<unsigned long long>(stuffed)));
    r.overflow = u + unstuffed > b.unstuffedBytes || t + stuffed > b.stuffedBytes;
    r.unstuffedAt = u;
    r.stuffedAt = t;
  }
}

struct AtomicOr {
  __device__ void operator()(uint32_t* word, uint32_t value) const {
    atomicOr(word, __byte_perm(value, 0, 0x0123));  // big-endian bytes
  }
};

__global__ void __launch_bounds__(kBlockThreads) EmitKernel(EncodeBuffers b) {
  __shared__ EncodeLayout layout;
  LoadLayout(b.layout, &layout);
  const EncodeImage& image = b.images[blockIdx.y];
  const EncodeResult& r = b.results[blockIdx.y];
  const int64_t s = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (s >= image.blocks || r.overflow) return;
  const int16_t* coef = b.coefficients + image.firstBlock * 64;
  int16_t block[64];
  const uint4* in = reinterpret_cast<const uint4*>(coef + s * 64);
  uint4* local = reinterpret_cast<uint4*>(block);
  for (int i = 0; i < 8; ++i) local[i] = in[i];
  enc::EmitScanBlock(layout, coef, s, block, reinterpret_cast<uint32_t*>(b.arena + r.unstuffedAt),
                     b.offsets[image.firstBlock + s], AtomicOr{});
}

__global__ void __launch_bounds__(kScanThreads) StuffKernel(EncodeBuffers b) {
  using Scan = cub::BlockScan<long long, kScanThreads>;
  __shared__ typename Scan::TempStorage scanStorage;
  EncodeResult& r = b.results[blockIdx.x];
  if (r.overflow) return;
  uint8_t* in = b.arena + r.unstuffedAt;
  uint8_t* out = b.arena + b.unstuffedBytes + r.stuffedAt;
  const long long bytes = static_cast<long long>((r.bits + 7) / 8);
  if (threadIdx.x == 0) enc::PadCodedBytes(in, r.bits);
  __syncthreads();
  const long long span = (bytes + kScanThreads - 1) / kScanThreads;
  const long long first = threadIdx.x * span, end = min(first + span, bytes);
  long long count = 0;
  for (long long i = first; i < end; ++i) count += 1 + (in[i] == 0xFF);
  long long at = 0, total = 0;
  Scan(scanStorage).ExclusiveSum(count, at, total);
  for (long long i = first; i < end; ++i) {
    const uint8_t v = in[i];
    out[at++] = v;
    if (v == 0xFF) out[at++] = 0;
  }
  if (threadIdx.x == 0) r.length = total;
}

__global__ void PublishKernel(EncodeBuffers b) {
  const EncodeResult& r = b.results[blockIdx.y];
  if (blockIdx.x == 0 && threadIdx.x == 0) b.hostResults[blockIdx.y] = r;
  if (r.overflow) return;
  const uint4* from = reinterpret_cast<const uint4*>(b.arena + b.unstuffedBytes + r.stuffedAt);
  uint4* to = reinterpret_cast<uint4*>(b.host + r.stuffedAt);
  const long long words = (r.length + 15) / 16;
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < words;
       i += static_cast<long long>(gridDim.x) * blockDim.x) {
    to[i] = from[i];
  }
}

}  // namespace

cudaError_t LaunchJpegEncode(const EncodeBuffers& b, cudaStream_t stream) {
  if (b.imageCount <= 0) return cudaSuccess;
  cudaError_t error = cudaMemsetAsync(b.arena, 0, static_cast<size_t>(b.unstuffedBytes), stream);
  if (error == cudaSuccess) error = cudaMemsetAsync(b.counters, 0, 2 * sizeof(unsigned long long), stream);
  if (error != cudaSuccess) return error;
  const dim3 blocks(static_cast<unsigned>((b.maxBlocks + kBlockThreads - 1) / kBlockThreads),
                    static_cast<unsigned>(b.imageCount));
  CoefficientsKernel<<<blocks, kBlockThreads, 0, stream>>>(b);
  OffsetsKernel<<<b.imageCount, kScanThreads, 0, stream>>>(b);
  EmitKernel<<<blocks, kBlockThreads, 0, stream>>>(b);
  StuffKernel<<<b.imageCount, kScanThreads, 0, stream>>>(b);
  PublishKernel<<<dim3(32, b.imageCount), 256, 0, stream>>>(b);
  return cudaGetLastError();
}

}  // namespace jpegkit
