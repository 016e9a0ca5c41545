// Our GPU Huffman decoder's kernels (huffman.h): sync passes, per-image prefix sums of the chunks' block counts
// and DC sums, and the decode pass. Each thread block's chunks belong to one image, whose tables it keeps in
// shared memory.
#include <cooperative_groups.h>

#include <atomic>
#include <cstddef>
#include <cub/block/block_scan.cuh>

#include "huffman-math.cuh"
#include "huffman.h"
#include "shared-copy.cuh"

namespace jpegkit {
namespace {

// The image's scan description with its tables, into shared memory (every thread of the block takes part).
__device__ void LoadScan(const GpuScan& scan, GpuScan* shared) { CopyToShared(&scan, shared); }

// The scan of the image whose chunks thread block `tile` of the chunks holds. The unstuffing kernels (unstuff.h)
// can turn a tile whole to padding: it takes the call's first image's (none of its chunks decodes).
__device__ const GpuScan& ScanOfTile(const HuffmanCall& call, int tile) {
  const int image = call.chunks[tile * kChunkThreads].image;
  return call.scans[image < 0 ? 0 : image];
}

// Pass `pass` of a call without candidates, or the decode step of round `pass` ≥ 1 of one with them (huffman.h).
__global__ void __launch_bounds__(kChunkThreads) SyncKernel(HuffmanCall call, int pass) {
  __shared__ GpuScan scan;
  const bool rounds = call.candidateCount > 0;
  if (rounds ? !huff::RoundNeeded(call, pass) : !huff::PassNeeded(call, pass)) return;  // the call settled
  const int index = blockIdx.x * kChunkThreads + threadIdx.x;
  // After pass 0 few chunks decode again: a thread block with none of them skips loading the scan.
  HuffEntry entry;
  const bool decode =
      rounds ? huff::RoundNeedsDecode(call, index, &entry) : pass == 0 || huff::SyncNeedsDecode(call, index, pass);
  if (!__syncthreads_or(decode)) return;
  LoadScan(ScanOfTile(call, blockIdx.x), &scan);
  if (!decode) return;
  if (rounds) {
    huff::DecodeSlotAt(call, scan, index, entry);
  } else {
    huff::SyncAt(call, scan, index, pass);
  }
}

// Pass 0 with candidates: thread block (b, j) runs candidate j of the chunks of thread block b of the sync kernel.
__global__ void __launch_bounds__(kChunkThreads) CandidatesKernel(HuffmanCall call) {
  __shared__ GpuScan scan;
  const int group = blockIdx.x / call.candidateCount, j = blockIdx.x % call.candidateCount;
  LoadScan(ScanOfTile(call, group), &scan);
  if (j > 0 && j >= huff::CandidatesOf(scan, call.candidateCount)) {
    // None for this image: only the records say so.
    huff::CandidateAt(call, scan, group * kChunkThreads + threadIdx.x, j);
    return;
  }
  huff::CandidateAt<true>(call, scan, group * kChunkThreads + threadIdx.x, j);
}

// A segmented running sum: `head` starts a new segment (a restart interval's first chunk).
struct Segmented {
  uint32_t head;
  uint32_t v[4];
};

struct SegmentedSum {
  __device__ Segmented operator()(const Segmented& a, const Segmented& b) const {
    if (b.head) return b;
    return Segmented{a.head, {a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2], a.v[3] + b.v[3]}};
  }
};

// Segmented composition of candidate links (huff::ThenLink), for the resolve kernel.
struct Linked {
  uint32_t head;
  huff::CandidateLink link;
};

struct LinkedThen {
  __device__ Linked operator()(const Linked& a, const Linked& b) const {
    if (b.head) return b;
    return Linked{a.head, huff::ThenLink(a.link, b.link)};
  }
};

using LinkScan = cub::BlockScan<Linked, kChunkThreads>;
using SumScan = cub::BlockScan<Segmented, kChunkThreads>;

// The scans over each image's chunks run in three steps, each spread over the whole GPU (one thread block of an
// image alone left every other SM idle and waited on memory: 0.17 ms for one 1080p photo's links): every thread
// block of chunks (a tile; an image's chunks are whole tiles) scans its own and keeps its aggregate; one thread
// block per image scans its tiles' aggregates into each tile's prefix; every tile scans again from its prefix.
// Each step is a function of the tile (or image) it works on: the kernels below run one step each, and the
// settle kernel (a call whose thread blocks fit on the GPU at once) runs them all with grid-wide barriers between.
// Per tile: an aggregate, then a prefix, of up to 8 words each.
constexpr int kTileWords = kTileWordsPerTile;

template <typename T>
__device__ T* TileAggregate(const HuffmanCall& call, int tile) {
  static_assert(sizeof(T) <= kTileWords / 2 * sizeof(uint32_t), "a tile's value must fit in 8 words");
  return reinterpret_cast<T*>(call.tiles + static_cast<int64_t>(tile) * kTileWords);
}

template <typename T>
__device__ T* TilePrefix(const HuffmanCall& call, int tile) {
  return reinterpret_cast<T*>(call.tiles + static_cast<int64_t>(tile) * kTileWords + kTileWords / 2);
}

// Step 2 for image `image`: each of its tiles' prefix, from `start` (a segment's start) and their aggregates.
template <typename T, typename Op>
__device__ void ImagePrefixes(const HuffmanCall& call, int image, T start,
                              typename cub::BlockScan<T, kChunkThreads>::TempStorage& storage) {
  using Scan = cub::BlockScan<T, kChunkThreads>;
  const int first = call.imageChunks[image] / kChunkThreads;
  const int end = call.imageChunks[image + 1] / kChunkThreads;
  T carry = start;
  for (int base = first; base < end; base += kChunkThreads) {
    const int tile = base + threadIdx.x;
    const T x = tile < end ? *TileAggregate<T>(call, tile) : start;
    T before, aggregate;
    Scan(storage).ExclusiveScan(x, before, carry, Op(), aggregate);
    __syncthreads();
    carry = Op()(carry, aggregate);
    if (tile < end) *TilePrefix<T>(call, tile) = before;
  }
}

// Step 1 of a scan: tile `tile`'s aggregate of every thread's `x`, kept for the prefix step.
template <typename T, typename Op>
__device__ void KeepTileAggregate(const HuffmanCall& call,
                                  typename cub::BlockScan<T, kChunkThreads>::TempStorage& storage, int tile,
                                  const T& x) {
  T inclusive, aggregate;
  cub::BlockScan<T, kChunkThreads>(storage).InclusiveScan(x, inclusive, Op(), aggregate);
  if (threadIdx.x == 0) *TileAggregate<T>(call, tile) = aggregate;
}

// A chunk's link (kept in call.links) as a segment of the composition (`nextSlot`, `nextEntry`: huff::LinkOf).
__device__ Linked LinkedOf(const HuffmanCall& call, int index, bool compute, int nextSlot = -1,
                          HuffEntry nextEntry = {}) {
  const GpuChunk chunk = call.chunks[index];
  if (chunk.image < 0) return Linked{1, huff::kIdentityLink};
  huff::CandidateLink link;
  if (compute) {
    link = huff::LinkOf(call, index, nextSlot, nextEntry);
    call.links[index] = link;
  } else {
    link = call.links[index];
  }
  return Linked{chunk.place == 0 ? 1u : 0u, link};
}

// Resolve, step 1: each chunk's link to the next chunk's candidates; the tile's composition.
__device__ void ResolveTile(const HuffmanCall& call, LinkScan::TempStorage& storage, int tile, int nextSlot = -1,
                            HuffEntry nextEntry = {}) {
  KeepTileAggregate<Linked, LinkedThen>(call, storage, tile,
                                        LinkedOf(call, tile * kChunkThreads + threadIdx.x, true, nextSlot, nextEntry));
}

// Resolve, step 3: each chunk takes the slot its interval's exact start links to (round `round`'s result).
__device__ void ResolveApply(const HuffmanCall& call, LinkScan::TempStorage& storage, int tile, int round) {
  const int index = tile * kChunkThreads + threadIdx.x;
  const Linked x = LinkedOf(call, index, false);
  Linked before, aggregate;
  LinkScan(storage).ExclusiveScan(x, before, *TilePrefix<Linked>(call, tile), LinkedThen(), aggregate);
  const uint32_t to = x.head ? 0u : static_cast<uint32_t>(before.link & 0xffu);
  huff::TakeSlot(call, index, to);
  // One atomic per thread block: thousands of them on one counter took 5–9 µs per round (one 1080p photo, H200).
  const int misses = __syncthreads_count((to & huff::kMissBit) != 0);
  if (threadIdx.x == 0 && misses > 0) atomicAdd(call.changed + round, static_cast<uint32_t>(misses));
}

// The blocks starting in chunk `index` as a segment of the blocks' sum.
__device__ Segmented BlocksOf(const HuffmanCall& call, int index, GpuChunk* chunk) {
  *chunk = call.chunks[index];
  if (chunk->image < 0) return Segmented{1, {0, 0, 0, 0}};
  return Segmented{chunk->place == 0 ? 1u : 0u, {call.counts[static_cast<int64_t>(index) * kCountWords], 0, 0, 0}};
}

// The DC sums of chunk `index`, whose first block is `firstBlock`, by component (a segment of the DC sums' sum).
__device__ Segmented DcOf(const HuffmanCall& call, int index, const GpuChunk& chunk, uint32_t firstBlock) {
  Segmented y{1, {0, 0, 0, 0}};
  if (chunk.image < 0) return y;
  const GpuScan& scan = call.scans[chunk.image];
  y.head = chunk.place == 0 ? 1u : 0u;
  huff::AddDcSumsByComponent(scan, firstBlock, call.counts + static_cast<int64_t>(index) * kCountWords + 1, y.v);
  return y;
}

// Starts: exclusive sums within each interval of (1) the blocks starting in each chunk, giving its first block and
// so the components of its DC sums' positions, then (2) those DC sums per component, giving its DC predictions.
// Step 1: the tile's block count (first, with candidates, each chunk's slot becomes its result).
__device__ void StartsTile(const HuffmanCall& call, SumScan::TempStorage& storage, int tile) {
  const int index = tile * kChunkThreads + threadIdx.x;
  huff::UseTakenSlot(call, index);
  GpuChunk chunk;
  KeepTileAggregate<Segmented, SegmentedSum>(call, storage, tile, BlocksOf(call, index, &chunk));
}

// Step 3 of the blocks, step 1 of the DC sums: each chunk's first block; the tile's DC sums.
__device__ void StartsDc(const HuffmanCall& call, SumScan::TempStorage& storage, int tile) {
  const int index = tile * kChunkThreads + threadIdx.x;
  GpuChunk chunk;
  const Segmented x = BlocksOf(call, index, &chunk);
  Segmented before, aggregate;
  SumScan(storage).ExclusiveScan(x, before, *TilePrefix<Segmented>(call, tile), SegmentedSum(), aggregate);
  uint32_t firstBlock = 0;
  if (chunk.image >= 0) {
    firstBlock = static_cast<uint32_t>(chunk.interval) * call.scans[chunk.image].intervalBlocks +
                 (x.head ? 0u : before.v[0]);
    call.starts[static_cast<int64_t>(index) * kStartWords] = firstBlock;
  }
  __syncthreads();
  KeepTileAggregate<Segmented, SegmentedSum>(call, storage, tile, DcOf(call, index, chunk, firstBlock));
}

// Step 3 of the DC sums: each chunk's DC predictions.
__device__ void StartsApply(const HuffmanCall& call, SumScan::TempStorage& storage, int tile) {
  const int index = tile * kChunkThreads + threadIdx.x;
  const GpuChunk chunk = call.chunks[index];
  uint32_t* out = call.starts + static_cast<int64_t>(index) * kStartWords;
  const Segmented y = DcOf(call, index, chunk, chunk.image >= 0 ? out[0] : 0u);
  Segmented before, aggregate;
  SumScan(storage).ExclusiveScan(y, before, *TilePrefix<Segmented>(call, tile), SegmentedSum(), aggregate);
  if (chunk.image >= 0) {
    for (int c = 0; c < 4; ++c) out[1 + c] = y.head ? 0u : before.v[c];
  }
}

// A segment's start: the scans' initial values.
__device__ Segmented SegmentStart() { return Segmented{1, {0, 0, 0, 0}}; }
__device__ Linked LinkStart() { return Linked{1, huff::kIdentityLink}; }

// One kernel per step (calls the settle kernel does not take). A round's kernels do nothing once the call settled.
__global__ void __launch_bounds__(kChunkThreads) ResolveTilesKernel(HuffmanCall call, int round) {
  __shared__ LinkScan::TempStorage storage;
  if (huff::RoundNeeded(call, round)) ResolveTile(call, storage, blockIdx.x);
}

__global__ void __launch_bounds__(kChunkThreads) ResolvePrefixKernel(HuffmanCall call, int round) {
  __shared__ LinkScan::TempStorage storage;
  if (huff::RoundNeeded(call, round)) ImagePrefixes<Linked, LinkedThen>(call, blockIdx.x, LinkStart(), storage);
}

__global__ void __launch_bounds__(kChunkThreads) ResolveApplyKernel(HuffmanCall call, int round) {
  __shared__ LinkScan::TempStorage storage;
  if (huff::RoundNeeded(call, round)) ResolveApply(call, storage, blockIdx.x, round);
}

// The starts' kernels do nothing when no pass settled (the decode kernel marks the images).
__global__ void __launch_bounds__(kChunkThreads) StartsTilesKernel(HuffmanCall call) {
  __shared__ SumScan::TempStorage storage;
  if (huff::SettledExits(call) >= 0) StartsTile(call, storage, blockIdx.x);
}

__global__ void __launch_bounds__(kChunkThreads) StartsPrefixKernel(HuffmanCall call) {
  __shared__ SumScan::TempStorage storage;
  if (huff::SettledExits(call) >= 0) ImagePrefixes<Segmented, SegmentedSum>(call, blockIdx.x, SegmentStart(), storage);
}

__global__ void __launch_bounds__(kChunkThreads) StartsDcKernel(HuffmanCall call) {
  __shared__ SumScan::TempStorage storage;
  if (huff::SettledExits(call) >= 0) StartsDc(call, storage, blockIdx.x);
}

__global__ void __launch_bounds__(kChunkThreads) StartsApplyKernel(HuffmanCall call) {
  __shared__ SumScan::TempStorage storage;
  if (huff::SettledExits(call) >= 0) StartsApply(call, storage, blockIdx.x);
}

// Every round (with candidates) or every sync pass (without), then the starts, in one cooperative launch, for a
// call whose thread blocks fit on the GPU at once (a block per tile; there are at least as many tiles as images):
// grid-wide barriers instead of a launch per step, and the loop stops once the call settled — nothing queued in
// vain after it, no second round from the host. One instance per kind of call: the rounds' code took the kernel
// from 64 to 117 registers, which halved how many blocks of a call of passes fit at once (see LaunchHuffmanSettle).
template <bool kRounds>
__global__ void __launch_bounds__(kChunkThreads) SettleKernel(HuffmanCall call) {
  __shared__ GpuScan scan;
  __shared__ union {
    LinkScan::TempStorage link;
    SumScan::TempStorage sum;
  } storage;
  cooperative_groups::grid_group grid = cooperative_groups::this_grid();
  const int tile = blockIdx.x, index = tile * kChunkThreads + threadIdx.x;
  if constexpr (kRounds) {
    bool loaded = false;  // the scan, loaded by the first round that decodes in this thread block
    for (int round = 0; round < call.passes && huff::RoundNeeded(call, round); ++round) {
      // Round r ≥ 1: the decode step, then its links with no barrier between: where the next chunk decodes
      // again, its decoded slot's entry is the exit this chunk took, known before that decode is written.
      HuffEntry entry, nextEntry{};
      int nextSlot = -1;
      if (round > 0) {
        const bool decode = huff::RoundNeedsDecode(call, index, &entry);
        if (index + 1 < call.chunkCount && huff::RoundNeedsDecode(call, index + 1, &nextEntry)) {
          nextSlot = huff::DecodedSlotOf(call, index + 1);
        }
        if (__syncthreads_or(decode) && !loaded) {
          LoadScan(ScanOfTile(call, tile), &scan);
          loaded = true;
        }
        if (decode) huff::DecodeSlotAt<true>(call, scan, index, entry);
      }
      ResolveTile(call, storage.link, tile, nextSlot, nextEntry);
      grid.sync();
      if (tile < call.images) ImagePrefixes<Linked, LinkedThen>(call, tile, LinkStart(), storage.link);
      grid.sync();
      ResolveApply(call, storage.link, tile, round);
      grid.sync();
    }
  } else {
    LoadScan(ScanOfTile(call, tile), &scan);
    for (int pass = 0; pass < call.passes && huff::PassNeeded(call, pass); ++pass) {
      if (pass == 0 || huff::SyncNeedsDecode(call, index, pass)) huff::SyncAt<true>(call, scan, index, pass);
      grid.sync();
    }
  }
  if (huff::SettledExits(call) < 0) return;  // the same for every block: the counters are final
  __syncthreads();
  StartsTile(call, storage.sum, tile);
  grid.sync();
  if (tile < call.images) ImagePrefixes<Segmented, SegmentedSum>(call, tile, SegmentStart(), storage.sum);
  grid.sync();
  StartsDc(call, storage.sum, tile);
  grid.sync();
  if (tile < call.images) ImagePrefixes<Segmented, SegmentedSum>(call, tile, SegmentStart(), storage.sum);
  grid.sync();
  StartsApply(call, storage.sum, tile);
}

// A thread per chunk, or (a call with `mids`: 2 · kChunkThreads threads per block) per half of one — the pass is
// bound by each thread's chain of symbols, not by the SMs, so halves take about half the time.
__global__ void __launch_bounds__(2 * kChunkThreads) DecodeKernel(HuffmanCall call) {
  __shared__ GpuScan scan;
  const int half = static_cast<int>(threadIdx.x) / kChunkThreads;
  const int index = blockIdx.x * kChunkThreads + static_cast<int>(threadIdx.x) % kChunkThreads;
  const int buffer = huff::SettledExits(call);
  if (buffer < 0) {
    const GpuChunk chunk = call.chunks[index];
    if (half == 0 && chunk.image >= 0 && chunk.place == 0 && chunk.interval == 0) {
      atomicOr(call.status + chunk.image, kUnsettled);
    }
    return;
  }
  __shared__ uint8_t natural[80];
  if (threadIdx.x < 80) natural[threadIdx.x] = huff::kNaturalDevice[threadIdx.x];
  LoadScan(ScanOfTile(call, blockIdx.x), &scan);
  huff::DecodeAt(call, scan, index, buffer, natural, half);
}

unsigned Grid(int chunks) { return static_cast<unsigned>((chunks + kChunkThreads - 1) / kChunkThreads); }

// How many thread blocks of `kernel` (kChunkThreads threads each) can be resident at once on the current device,
// asked once per device (`cache`, per kernel); -1 for a `cooperative` launch on a device that takes none.
cudaError_t ResidentBlocks(const void* kernel, std::atomic<int>* cache, bool cooperative, int* out) {
  *out = -1;
  int device = 0;
  cudaError_t error = cudaGetDevice(&device);
  if (error != cudaSuccess) return error;
  if (device < 0 || device >= 64) return cudaSuccess;
  int blocks = cache[device].load(std::memory_order_relaxed);
  if (blocks == 0) {
    int takes = 0, sms = 0, perSm = 0;
    if ((error = cudaDeviceGetAttribute(&takes, cudaDevAttrCooperativeLaunch, device)) != cudaSuccess ||
        (error = cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device)) != cudaSuccess ||
        (error = cudaOccupancyMaxActiveBlocksPerMultiprocessor(&perSm, kernel, kChunkThreads, 0)) != cudaSuccess) {
      return error;
    }
    blocks = cooperative && takes == 0 ? -1 : sms * perSm;
    cache[device].store(blocks, std::memory_order_relaxed);
  }
  *out = blocks;
  return cudaSuccess;
}

std::atomic<int> settlePassBlocks[64], settleRoundBlocks[64], candidateBlocks[64];

}  // namespace

cudaError_t LaunchHuffmanSync(const HuffmanCall& call, int pass, cudaStream_t stream) {
  if (call.chunkCount <= 0) return cudaSuccess;
  const unsigned tiles = Grid(call.chunkCount);
  if (call.candidateCount <= 0) {
    SyncKernel<<<tiles, kChunkThreads, 0, stream>>>(call, pass);
    return cudaGetLastError();
  }
  if (pass > 0) SyncKernel<<<tiles, kChunkThreads, 0, stream>>>(call, pass);
  ResolveTilesKernel<<<tiles, kChunkThreads, 0, stream>>>(call, pass);
  ResolvePrefixKernel<<<call.images, kChunkThreads, 0, stream>>>(call, pass);
  ResolveApplyKernel<<<tiles, kChunkThreads, 0, stream>>>(call, pass);
  return cudaGetLastError();
}

int HuffmanResidentThreads() {
  int blocks = -1;
  if (ResidentBlocks(reinterpret_cast<const void*>(CandidatesKernel), candidateBlocks, false, &blocks) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return blocks < 0 ? 0 : blocks * kChunkThreads;
}

cudaError_t LaunchHuffmanCandidates(const HuffmanCall& call, cudaStream_t stream) {
  if (call.chunkCount <= 0 || call.candidateCount <= 0) return cudaSuccess;
  CandidatesKernel<<<Grid(call.chunkCount) * call.candidateCount, kChunkThreads, 0, stream>>>(call);
  return cudaGetLastError();
}

cudaError_t LaunchHuffmanSettle(const HuffmanCall& call, cudaStream_t stream, bool* launched) {
  *launched = false;
  if (call.chunkCount <= 0) return cudaSuccess;
  const bool rounds = call.candidateCount > 0;
  const void* kernel = rounds ? reinterpret_cast<const void*>(SettleKernel<true>)
                              : reinterpret_cast<const void*>(SettleKernel<false>);
  int blocks = -1;
  cudaError_t error = ResidentBlocks(kernel, rounds ? settleRoundBlocks : settlePassBlocks, true, &blocks);
  if (error != cudaSuccess) return error;
  // Without candidates, only calls of up to a quarter of that: a cooperative launch waits until all its blocks
  // fit, and holds them through passes where few chunks work — large calls overlap better with other streams'
  // work as single passes (measured on an H200: calls of 32 1080p photos lost 10% throughput in the loop). Calls
  // with candidates are small by choice, and their rounds would cost four launches each.
  const unsigned grid = Grid(call.chunkCount);
  if (blocks < 0 || grid > static_cast<unsigned>(rounds ? blocks : blocks / 4)) return cudaSuccess;
  HuffmanCall copy = call;
  void* args[] = {&copy};
  error = cudaLaunchCooperativeKernel(kernel, dim3(grid), dim3(kChunkThreads), args, 0, stream);
  *launched = error == cudaSuccess;
  return error;
}

cudaError_t LaunchHuffmanStarts(const HuffmanCall& call, cudaStream_t stream) {
  if (call.images <= 0 || call.chunkCount <= 0) return cudaSuccess;
  const unsigned tiles = Grid(call.chunkCount);
  StartsTilesKernel<<<tiles, kChunkThreads, 0, stream>>>(call);
  StartsPrefixKernel<<<call.images, kChunkThreads, 0, stream>>>(call);
  StartsDcKernel<<<tiles, kChunkThreads, 0, stream>>>(call);
  StartsPrefixKernel<<<call.images, kChunkThreads, 0, stream>>>(call);
  StartsApplyKernel<<<tiles, kChunkThreads, 0, stream>>>(call);
  return cudaGetLastError();
}

cudaError_t LaunchHuffmanDecode(const HuffmanCall& call, cudaStream_t stream) {
  if (call.chunkCount <= 0) return cudaSuccess;
  DecodeKernel<<<Grid(call.chunkCount), (call.mids != nullptr ? 2 : 1) * kChunkThreads, 0, stream>>>(call);
  return cudaGetLastError();
}

}  // namespace jpegkit
