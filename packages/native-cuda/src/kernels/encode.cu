// Our baseline JPEG encoder's kernels (see encode-kernels.h; the arithmetic is encode-math.cuh's):
//   1. coefficients: eight lanes per scan block (encode-math.cuh) — samples, forward DCT, quantisation, the AC
//      codes' length;
//   2. offsets: a thread block per image — DC differences, every block's bit offset (a block-wide scan), the
//      image's total (and whether it fits its part of the byte arena);
//   3. emit: eight lanes per scan block — its codes ORed into the image's zeroed bit buffer;
//   4. stuff: a thread block per image — the last byte padded with 1s, a 0x00 after every 0xFF;
//   5. publish: the stuffed bytes and the results copied to pinned host memory in 16-byte stores.
#include <cub/block/block_reduce.cuh>
#include <cub/block/block_scan.cuh>

#include "encode-math.cuh"
#include "shared-copy.cuh"

namespace jpegkit {
namespace {

// Threads of the coefficients and emit kernels: 16 scan blocks of eight lanes each.
constexpr int kLaneThreads = 128;
constexpr int kLaneBlocks = kLaneThreads / enc::kBlockLanes;
constexpr int kTile = 256;                    // scan blocks per tile of the offsets, threads of the tile kernels
constexpr long long kStuffTile = 16 * kTile;  // coded bytes per stuffing tile
static_assert(kTile == kEncodeBitTile && kStuffTile == kEncodeStuffTile, "encode-kernels.h sizes the tile rows");

// The call's layout in shared memory: the AC tables are read at data-dependent indices.
__device__ void LoadLayout(const EncodeLayout* global, EncodeLayout* shared) { CopyToShared(global, shared); }

// The lanes of this thread's scan block: its BlockLanes, its lane, the mask of its eight threads in the warp
// (`scanBlock` < 0 past the image's blocks: whole groups of eight, so the masks never take in an idle thread).
struct LaneGroup {
  enc::BlockLanes* lanes;
  int lane;
  unsigned mask;
  int64_t scanBlock;
};

__device__ LaneGroup LaneGroupOf(enc::BlockLanes* lanes, const EncodeLayout& layout, const EncodeImage& image) {
  const int group = threadIdx.x / enc::kBlockLanes;
  const int64_t t = static_cast<int64_t>(blockIdx.x) * kLaneBlocks + group;
  return LaneGroup{lanes + group, static_cast<int>(threadIdx.x % enc::kBlockLanes),
                   0xFFu << (enc::kBlockLanes * (group % (32 / enc::kBlockLanes))),
                   t < image.blocks ? enc::ScanIndexOf(layout, image, t) : -1};
}

// The zigzag table into shared memory (every thread of the block takes part; LoadLayout's barrier follows).
__device__ void LoadZigzag(uint8_t* zigzagOf) {
  for (int i = threadIdx.x; i < 64; i += blockDim.x) zigzagOf[i] = kZigzagOfDevice[i];
}

__global__ void __launch_bounds__(kLaneThreads) CoefficientsKernel(EncodeBuffers b) {
  __shared__ EncodeLayout layout;
  __shared__ enc::BlockLanes lanes[kLaneBlocks];
  __shared__ uint8_t zigzagOf[64];
  LoadZigzag(zigzagOf);
  LoadLayout(b.layout, &layout);
  const EncodeImage& image = b.images[blockIdx.y];
  const LaneGroup g = LaneGroupOf(lanes, layout, image);
  if (g.scanBlock < 0) return;
  const enc::BlockPlace place = enc::SourceOf(layout, image, g.scanBlock);
  enc::RowPass(layout, image, place, g.lane, *g.lanes);
  __syncwarp(g.mask);
  enc::ColumnPass(layout, place, zigzagOf, g.lane, *g.lanes);
  __syncwarp(g.mask);
  enc::NonzeroPass(g.lane, *g.lanes);
  __syncwarp(g.mask);
  uint32_t bits = enc::LaneAcBits(layout.ac[layout.table[place.component]], g.lanes->zigzag,
                                  enc::NonzeroMask(*g.lanes), g.lane);
#pragma unroll
  for (int d = 1; d < enc::kBlockLanes; d *= 2) bits += __shfl_xor_sync(g.mask, bits, d, enc::kBlockLanes);
  const int64_t s = image.firstBlock + g.scanBlock;
  if (g.lane == 0) b.acBits[s] = bits;
  // Eight coefficients per lane: one 16-byte store each.
  reinterpret_cast<uint4*>(b.coefficients + s * 64)[g.lane] = reinterpret_cast<const uint4*>(g.lanes->zigzag)[g.lane];
}

// The bits of every scan block (kept in acBits from here on) and their sum per tile of kTile blocks.
__global__ void __launch_bounds__(kTile) BitsKernel(EncodeBuffers b) {
  __shared__ EncodeLayout layout;
  using Reduce = cub::BlockReduce<unsigned long long, kTile>;
  __shared__ typename Reduce::TempStorage reduceStorage;
  LoadLayout(b.layout, &layout);
  const EncodeImage& image = b.images[blockIdx.y];
  const int64_t tiles = (image.blocks + kTile - 1) / kTile;
  if (blockIdx.x >= tiles) return;
  const int64_t s = static_cast<int64_t>(blockIdx.x) * kTile + threadIdx.x;
  uint32_t bits = 0;
  if (s < image.blocks) {
    bits = enc::BlockBits(layout, b.coefficients + image.firstBlock * 64, b.acBits + image.firstBlock, s);
  }
  __syncthreads();  // every thread has read its neighbours' DCs before anyone writes
  if (s < image.blocks) b.acBits[image.firstBlock + s] = bits;
  const unsigned long long sum = Reduce(reduceStorage).Sum(static_cast<unsigned long long>(bits));
  if (threadIdx.x == 0) b.bitTiles[static_cast<int64_t>(blockIdx.y) * b.maxBitTiles + blockIdx.x] = sum;
}

// The sum of the first `count` entries of a tile row, by the whole thread block (thread 0 gets it).
template <typename T, int kThreads>
__device__ T RowPrefix(const T* row, int64_t count, typename cub::BlockReduce<T, kThreads>::TempStorage& storage) {
  T sum = 0;
  for (int64_t i = threadIdx.x; i < count; i += kThreads) sum += row[i];
  return cub::BlockReduce<T, kThreads>(storage).Sum(sum);
}

// Every block's bit offset in its image: the tiles before, then a scan inside the tile. The image's last tile
// records its total and whether it fits its part of the byte arena.
__global__ void __launch_bounds__(kTile) OffsetsKernel(EncodeBuffers b) {
  using Reduce = cub::BlockReduce<unsigned long long, kTile>;
  using Scan = cub::BlockScan<unsigned long long, kTile>;
  __shared__ typename Reduce::TempStorage reduceStorage;
  __shared__ typename Scan::TempStorage scanStorage;
  __shared__ unsigned long long base;
  const EncodeImage& image = b.images[blockIdx.y];
  const int64_t tiles = (image.blocks + kTile - 1) / kTile;
  if (blockIdx.x >= tiles) return;
  const unsigned long long before =
      RowPrefix<unsigned long long, kTile>(b.bitTiles + static_cast<int64_t>(blockIdx.y) * b.maxBitTiles, blockIdx.x,
                                           reduceStorage);
  if (threadIdx.x == 0) base = before;
  __syncthreads();
  const int64_t s = static_cast<int64_t>(blockIdx.x) * kTile + threadIdx.x;
  const unsigned long long bits = s < image.blocks ? b.acBits[image.firstBlock + s] : 0;
  unsigned long long at = 0, sum = 0;
  Scan(scanStorage).ExclusiveSum(bits, at, sum);
  if (s < image.blocks) b.offsets[image.firstBlock + s] = base + at;
  if (threadIdx.x == 0 && blockIdx.x == tiles - 1) {
    const unsigned long long total = base + sum;
    EncodeResult& r = b.results[blockIdx.y];
    r.bits = total;
    r.length = 0;
    const long long bytes = static_cast<long long>((total + 7) / 8);
    r.overflow = bytes > image.arenaBytes;
    r.unstuffedAt = image.arenaAt;
    r.stuffedAt = 2 * image.arenaAt;
  }
}

struct AtomicOr {
  __device__ void operator()(uint32_t* word, uint32_t value) const {
    atomicOr(word, __byte_perm(value, 0, 0x0123));  // big-endian bytes
  }
};

__global__ void __launch_bounds__(kLaneThreads) EmitKernel(EncodeBuffers b) {
  __shared__ EncodeLayout layout;
  __shared__ enc::BlockLanes lanes[kLaneBlocks];
  LoadLayout(b.layout, &layout);
  const EncodeImage& image = b.images[blockIdx.y];
  const EncodeResult& r = b.results[blockIdx.y];
  const LaneGroup g = LaneGroupOf(lanes, layout, image);
  if (g.scanBlock < 0 || r.overflow) return;
  const int16_t* coef = b.coefficients + image.firstBlock * 64;
  reinterpret_cast<uint4*>(g.lanes->zigzag)[g.lane] = reinterpret_cast<const uint4*>(coef + g.scanBlock * 64)[g.lane];
  __syncwarp(g.mask);
  enc::NonzeroPass(g.lane, *g.lanes);
  __syncwarp(g.mask);
  const uint64_t mask = enc::NonzeroMask(*g.lanes);
  const int t = layout.table[layout.blockComponent[g.scanBlock % layout.blocksInMcu]];
  const uint32_t own = enc::LaneAcBits(layout.ac[t], g.lanes->zigzag, mask, g.lane);
  uint32_t laneBits[enc::kBlockLanes];
#pragma unroll
  for (int l = 0; l < enc::kBlockLanes; ++l) laneBits[l] = __shfl_sync(g.mask, own, l, enc::kBlockLanes);
  enc::EmitLane(layout, coef, g.scanBlock, g.lanes->zigzag, mask, laneBits, g.lane,
                reinterpret_cast<uint32_t*>(b.arena + r.unstuffedAt), b.offsets[image.firstBlock + g.scanBlock],
                AtomicOr{});
}

// Stuffing in tiles of kStuffTile coded bytes, 16 per thread. The count pass pads the last byte with 1s and
// counts each tile's output bytes (a 0x00 after every 0xFF); the scatter pass writes them where the tiles before
// end, and the image's last tile records its length.
__device__ __forceinline__ int StuffedCount(uint4 q, int valid) {
  const uint32_t w[4] = {q.x, q.y, q.z, q.w};
  int n = valid;
#pragma unroll
  for (int k = 0; k < 4; ++k) n += __popc(__vcmpeq4(w[k], 0xFFFFFFFFu)) >> 3;  // bytes past `valid` are zero
  return n;
}

__global__ void __launch_bounds__(kTile) StuffCountKernel(EncodeBuffers b) {
  using Reduce = cub::BlockReduce<long long, kTile>;
  __shared__ typename Reduce::TempStorage reduceStorage;
  const EncodeResult& r = b.results[blockIdx.y];
  const long long bytes = static_cast<long long>((r.bits + 7) / 8);
  if (r.overflow || static_cast<long long>(blockIdx.x) * kStuffTile >= bytes) return;
  const long long at = static_cast<long long>(blockIdx.x) * kStuffTile + threadIdx.x * 16;
  const uint4* piece = reinterpret_cast<const uint4*>(b.arena + r.unstuffedAt + at);
  long long count = 0;
  if (at < bytes) {
    if (bytes - at <= 16) enc::PadCodedBytes(b.arena + r.unstuffedAt, r.bits);  // the piece with the last byte
    count = StuffedCount(*piece, static_cast<int>(min(16LL, bytes - at)));
  }
  const long long sum = Reduce(reduceStorage).Sum(count);
  if (threadIdx.x == 0) b.stuffTiles[static_cast<int64_t>(blockIdx.y) * b.maxStuffTiles + blockIdx.x] = sum;
}

__global__ void __launch_bounds__(kTile) StuffScatterKernel(EncodeBuffers b) {
  using Reduce = cub::BlockReduce<long long, kTile>;
  using Scan = cub::BlockScan<long long, kTile>;
  __shared__ typename Reduce::TempStorage reduceStorage;
  __shared__ typename Scan::TempStorage scanStorage;
  __shared__ long long base;
  EncodeResult& r = b.results[blockIdx.y];
  const long long bytes = static_cast<long long>((r.bits + 7) / 8);
  if (r.overflow || static_cast<long long>(blockIdx.x) * kStuffTile >= bytes) return;
  const long long before = RowPrefix<long long, kTile>(
      b.stuffTiles + static_cast<int64_t>(blockIdx.y) * b.maxStuffTiles, blockIdx.x, reduceStorage);
  if (threadIdx.x == 0) base = before;
  __syncthreads();
  const long long at = static_cast<long long>(blockIdx.x) * kStuffTile + threadIdx.x * 16;
  uint4 q = make_uint4(0, 0, 0, 0);
  int valid = 0, count = 0;
  if (at < bytes) {
    q = *reinterpret_cast<const uint4*>(b.arena + r.unstuffedAt + at);
    valid = static_cast<int>(min(16LL, bytes - at));
    count = StuffedCount(q, valid);
  }
  long long offset = 0, sum = 0;
  Scan(scanStorage).ExclusiveSum(static_cast<long long>(count), offset, sum);
  uint8_t* out = b.arena + b.unstuffedBytes + r.stuffedAt + base + offset;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(&q);
  int o = 0;
  for (int k = 0; k < valid; ++k) {
    out[o++] = p[k];
    if (p[k] == 0xFF) out[o++] = 0;
  }
  if (threadIdx.x == 0 && static_cast<long long>(blockIdx.x) == (bytes - 1) / kStuffTile) r.length = base + sum;
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
  const cudaError_t error = cudaMemsetAsync(b.arena, 0, static_cast<size_t>(b.unstuffedBytes), stream);
  if (error != cudaSuccess) return error;
  const unsigned images = static_cast<unsigned>(b.imageCount);
  const dim3 blocks(static_cast<unsigned>((b.maxBlocks + kLaneBlocks - 1) / kLaneBlocks), images);
  const dim3 bitTiles(static_cast<unsigned>(b.maxBitTiles), images), stuffTiles(static_cast<unsigned>(b.maxStuffTiles), images);
  CoefficientsKernel<<<blocks, kLaneThreads, 0, stream>>>(b);
  BitsKernel<<<bitTiles, kTile, 0, stream>>>(b);
  OffsetsKernel<<<bitTiles, kTile, 0, stream>>>(b);
  EmitKernel<<<blocks, kLaneThreads, 0, stream>>>(b);
  StuffCountKernel<<<stuffTiles, kTile, 0, stream>>>(b);
  StuffScatterKernel<<<stuffTiles, kTile, 0, stream>>>(b);
  PublishKernel<<<dim3(32, images), 256, 0, stream>>>(b);
  return cudaGetLastError();
}

}  // namespace jpegkit
