// The unstuffing kernels (unstuff.h): a thread per piece, a thread block per tile, a grid row per image.
#include <cub/block/block_reduce.cuh>
#include <cub/block/block_scan.cuh>

#include "unstuff.cuh"

namespace jpegkit {
namespace {

// Each tile's dropped bytes; kUnclean where a 0xFF is not stuffing.
__global__ void __launch_bounds__(kUnstuffThreads) CountKernel(const RawScanJob* jobs) {
  using Reduce = cub::BlockReduce<uint32_t, kUnstuffThreads>;
  __shared__ typename Reduce::TempStorage storage;
  const RawScanJob job = jobs[blockIdx.y];
  if (blockIdx.x >= UnstuffTiles(job.outBound)) return;
  const unstuff::Piece piece = unstuff::LoadPiece(job, blockIdx.x * kUnstuffThreads + threadIdx.x);
  if (unstuff::Unclean(piece)) atomicOr(job.status, kUnclean);
  const uint32_t tile = Reduce(storage).Sum(static_cast<uint32_t>(__popc(unstuff::DroppedBits(piece))));
  if (threadIdx.x == 0) job.tileCounts[blockIdx.x] = tile;
}

// Each tile's bytes that stay, packed in shared memory (each piece's at its scan's offset), then written out at
// the tile's offset less the bytes the tiles before it dropped; zeros where the tile's offsets lie past the
// unstuffed data; then the tile's share of the image's chunks fixed, and (tile 0) the scan's end.
__global__ void __launch_bounds__(kUnstuffThreads) MoveKernel(const RawScanJob* jobs) {
  using Reduce = cub::BlockReduce<uint32_t, kUnstuffThreads>;
  using Scan = cub::BlockScan<uint32_t, kUnstuffThreads>;
  __shared__ union {
    typename Reduce::TempStorage reduce;
    typename Scan::TempStorage scan;
  } storage;
  __shared__ uint8_t packed[kUnstuffTileBytes];
  __shared__ uint32_t droppedBefore, dataBytes;
  const RawScanJob job = jobs[blockIdx.y];
  const uint32_t tile = blockIdx.x, tiles = UnstuffTiles(job.outBound);
  if (tile >= tiles) return;
  uint32_t earlier = 0, all = 0;
  for (uint32_t t = threadIdx.x; t < tiles; t += kUnstuffThreads) {
    const uint32_t count = job.tileCounts[t];
    all += count;
    if (t < tile) earlier += count;
  }
  earlier = Reduce(storage.reduce).Sum(earlier);
  __syncthreads();
  all = Reduce(storage.reduce).Sum(all);
  if (threadIdx.x == 0) {
    droppedBefore = earlier;
    dataBytes = job.rawBytes - all;
  }
  const unstuff::Piece piece = unstuff::LoadPiece(job, tile * kUnstuffThreads + threadIdx.x);
  const uint32_t kept = static_cast<uint32_t>(__popc(piece.valid & ~unstuff::DroppedBits(piece)));
  uint32_t at = 0, total = 0;
  __syncthreads();
  Scan(storage.scan).ExclusiveSum(kept, at, total);
  unstuff::KeepBytes(piece, packed + at);
  __syncthreads();
  const uint32_t tileStart = tile * kUnstuffTileBytes, base = tileStart - droppedBefore;
  for (uint32_t i = threadIdx.x; i < total; i += kUnstuffThreads) job.out[base + i] = packed[i];
  const uint32_t tileEnd = tileStart + kUnstuffTileBytes < job.outBound ? tileStart + kUnstuffTileBytes : job.outBound;
  const uint32_t zeros = tileStart > dataBytes ? tileStart : dataBytes;
  for (uint32_t o = zeros + threadIdx.x; o < tileEnd; o += kUnstuffThreads) job.out[o] = 0;
  const uint32_t share = (job.chunkCount + tiles - 1) / tiles;
  const uint32_t last = (tile + 1) * share < job.chunkCount ? (tile + 1) * share : job.chunkCount;
  for (uint32_t i = tile * share + threadIdx.x; i < last; i += kUnstuffThreads) {
    unstuff::FixChunk(job.chunks[i], dataBytes, job.chunkBits);
  }
  if (tile == 0 && threadIdx.x == 0) *job.dataEnd = dataBytes;
}

}  // namespace

cudaError_t LaunchUnstuff(const RawScanJob* jobs, int count, uint32_t mostBound, cudaStream_t stream) {
  if (count <= 0 || mostBound == 0) return cudaSuccess;
  constexpr int kMostRows = 65535;  // a grid's rows
  for (int first = 0; first < count; first += kMostRows) {
    const int rows = count - first < kMostRows ? count - first : kMostRows;
    const dim3 grid(UnstuffTiles(mostBound), static_cast<unsigned>(rows));
    CountKernel<<<grid, kUnstuffThreads, 0, stream>>>(jobs + first);
    MoveKernel<<<grid, kUnstuffThreads, 0, stream>>>(jobs + first);
  }
  return cudaGetLastError();
}

}  // namespace jpegkit
