// The device memory pool (see device-pool.h).
#include "device-pool.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <vector>

namespace jpegkit {

constexpr size_t kPoolExactLimit = 4 * 1024 * 1024;

size_t PoolBlockSize(size_t bytes) {
  constexpr size_t kMin = 64 * 1024, kStep = 2 * 1024 * 1024, kPow2Limit = kPoolExactLimit;
  if (bytes <= kMin) return kMin;
  if (bytes <= kPow2Limit) {
    size_t size = kMin;
    while (size < bytes) size <<= 1;
    return size;
  }
  return (bytes + kStep - 1) / kStep * kStep;
}

DeviceAllocation::~DeviceAllocation() {
  if (ptr_ != nullptr) pool_->Release(ptr_, capacity_);
}

int DeviceAllocation::device() const { return pool_->device(); }

DevicePool::~DevicePool() { Trim(); }

Failure DevicePool::Acquire(size_t bytes, std::shared_ptr<DeviceAllocation>* out) {
  const size_t want = PoolBlockSize(bytes);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Up to 4 MiB a block of its own size class only: a request that took a larger class's block left the next
    // request of that class to allocate, and a steady workload's pool kept growing now and then, depending on
    // how its concurrent calls interleaved. Larger requests take a cached block of up to twice their size.
    auto it = free_.lower_bound(want);
    if (it != free_.end() && (it->first == want || (want > kPoolExactLimit && it->first <= 2 * want))) {
      const size_t capacity = it->first;
      void* ptr = it->second.ptr;
      UncacheLocked(it);
      stats_.inUseBytes += capacity;
      stats_.peakBytes = std::max(stats_.peakBytes, stats_.inUseBytes + stats_.cachedBytes);
      busyPeak_ = std::max(busyPeak_, stats_.inUseBytes);
      ++stats_.reuses;
      *out = std::make_shared<DeviceAllocation>(shared_from_this(), ptr, capacity);
      return Ok();
    }
  }
  JK_CUDA(cudaSetDevice(device_));
  void* ptr = nullptr;
  cudaError_t error = cudaMalloc(&ptr, want);
  if (error == cudaErrorMemoryAllocation) {
    cudaGetLastError();
    Trim();
    error = cudaMalloc(&ptr, want);
  }
  if (error != cudaSuccess) {
    cudaGetLastError();
    return FromCuda(error, "cudaMalloc (device image pool)");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.inUseBytes += want;
    stats_.peakBytes = std::max(stats_.peakBytes, stats_.inUseBytes + stats_.cachedBytes);
    busyPeak_ = std::max(busyPeak_, stats_.inUseBytes);
    ++stats_.allocations;
    // JPEGKIT_CUDA_POOL_TRACE=1: every new block, with what the pool held then (why a steady workload grew).
    static const bool trace = std::getenv("JPEGKIT_CUDA_POOL_TRACE") != nullptr;
    if (trace) {
      std::fprintf(stderr, "jpegkit pool: new block %zu for %zu bytes (allocation %zu; in use %zu, cached %zu)\n", want,
                   bytes, stats_.allocations, stats_.inUseBytes, stats_.cachedBytes);
    }
  }
  *out = std::make_shared<DeviceAllocation>(shared_from_this(), ptr, want);
  return Ok();
}

size_t DevicePool::KeepLimitLocked() const {
  return keep_ == 0 ? 0 : std::max({keep_, busyPeak_, lastBusyPeak_});
}

void DevicePool::Release(void* ptr, size_t capacity) {
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.inUseBytes -= capacity;
  const size_t limit = KeepLimitLocked();
  if (capacity <= limit) {
    // The block just released is the likeliest to be wanted again: older cached blocks make room for it.
    while (stats_.cachedBytes + capacity > limit && !byAge_.empty()) EvictOldestLocked();
    CacheLocked(ptr, capacity);
  } else {
    FreeLocked(ptr, capacity);
  }
  // Idle (nothing held but what slots keep): this busy period's peak bounds the cache until the next one ends.
  if (stats_.inUseBytes <= stats_.keptBytes) {
    lastBusyPeak_ = busyPeak_;
    busyPeak_ = 0;
    const size_t idleLimit = KeepLimitLocked();
    while (stats_.cachedBytes > idleLimit && !byAge_.empty()) EvictOldestLocked();
  }
}

void DevicePool::CacheLocked(void* ptr, size_t capacity) {
  const uint64_t age = releases_++;
  byAge_.emplace(age, free_.emplace(capacity, CachedBlock{ptr, age}));
  stats_.cachedBytes += capacity;
}

void DevicePool::UncacheLocked(FreeBlocks::iterator it) {
  stats_.cachedBytes -= it->first;
  byAge_.erase(it->second.age);
  free_.erase(it);
}

void DevicePool::EvictOldestLocked() {
  const FreeBlocks::iterator oldest = byAge_.begin()->second;
  void* ptr = oldest->second.ptr;
  const size_t capacity = oldest->first;
  UncacheLocked(oldest);
  FreeLocked(ptr, capacity);
}

void DevicePool::FreeLocked(void* ptr, size_t capacity) {
  (void)capacity;
  cudaSetDevice(device_);
  cudaFree(ptr);  // a failure here (device lost) leaves nothing to recover; the error is not sticky
  ++stats_.frees;
}

void DevicePool::Trim() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [capacity, block] : free_) FreeLocked(block.ptr, capacity);
  free_.clear();
  byAge_.clear();
  stats_.cachedBytes = 0;
}

PoolStats DevicePool::Stats() {
  std::lock_guard<std::mutex> lock(mutex_);
  PoolStats stats = stats_;
  stats.inUseBytes -= std::min(stats.inUseBytes, stats.keptBytes);
  return stats;
}

void DevicePool::NoteKept(int64_t delta) {
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.keptBytes = static_cast<size_t>(static_cast<int64_t>(stats_.keptBytes) + delta);
}

Failure SlotScratch::Get(DevicePool* pool, int use, size_t bytes, std::shared_ptr<DeviceAllocation>* out) {
  std::shared_ptr<DeviceAllocation>& kept = kept_[use];
  if (kept && kept->capacity() >= bytes) {
    *out = kept;
    return Ok();
  }
  JK_TRY(pool->Acquire(bytes, out));
  if ((*out)->capacity() <= keepLimit_) {  // the smaller block it replaces goes back to the pool
    pool_ = pool;
    pool->NoteKept(static_cast<int64_t>((*out)->capacity()) - static_cast<int64_t>(kept ? kept->capacity() : 0));
    kept = *out;
  }
  return Ok();
}

SlotScratch::~SlotScratch() {
  for (auto& block : kept_) {
    if (block && pool_ != nullptr) pool_->NoteKept(-static_cast<int64_t>(block->capacity()));
    block.reset();
  }
}

}  // namespace jpegkit
