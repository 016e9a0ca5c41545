// Device memory reused across calls: decode outputs, scratch planes and encode inputs come from here, so a
// steady stream of same-sized images allocates nothing after the first few (cudaMalloc/cudaFree synchronise
// the whole device).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "errors.h"

namespace jpegkit {

class DevicePool;

// One block of device memory, handed back to its pool when the last owner lets go. Users must not let go
// while work queued on a stream may still touch it (every worker synchronises its stream first).
class DeviceAllocation {
 public:
  DeviceAllocation(std::shared_ptr<DevicePool> pool, void* ptr, size_t capacity)
      : pool_(std::move(pool)), ptr_(ptr), capacity_(capacity) {}
  ~DeviceAllocation();
  DeviceAllocation(const DeviceAllocation&) = delete;
  DeviceAllocation& operator=(const DeviceAllocation&) = delete;
  uint8_t* data() const { return static_cast<uint8_t*>(ptr_); }
  size_t capacity() const { return capacity_; }
  int device() const;

 private:
  std::shared_ptr<DevicePool> pool_;
  void* ptr_;
  size_t capacity_;
};

struct PoolStats {
  // inUseBytes: blocks held by images and calls; keptBytes: blocks decode slots keep between calls (SlotScratch).
  size_t inUseBytes = 0, cachedBytes = 0, peakBytes = 0, keptBytes = 0;
  size_t allocations = 0, reuses = 0, frees = 0;
};

class DevicePool : public std::enable_shared_from_this<DevicePool> {
 public:
  // Keeps free blocks cached up to the larger of `keepBytes` and the most the pool had in use during its last busy
  // period (since it was last idle) or the current one, so a workload whose working set is bigger than keepBytes
  // (batches of 128 4K images) does not cudaFree and cudaMalloc it every batch — both synchronise the device.
  // When the pool goes idle, the cache is trimmed back to that bound. keepBytes 0 turns caching off. What goes to
  // stay under the bound is the blocks released longest ago: a workload that moves to larger images (1080p, then
  // 4K) keeps its new blocks instead of freeing and allocating them every call beside a cache of old small ones.
  DevicePool(int device, size_t keepBytes) : device_(device), keep_(keepBytes) {}
  ~DevicePool();
  DevicePool(const DevicePool&) = delete;
  DevicePool& operator=(const DevicePool&) = delete;

  // A block of at least `bytes`: a cached one of the same size class (up to 4 MiB) or no more than twice the
  // rounded size (above), else a new cudaMalloc
  // (after freeing the cache once if the device is out of memory).
  Failure Acquire(size_t bytes, std::shared_ptr<DeviceAllocation>* out);
  // Frees every cached block (not those in use).
  void Trim();
  PoolStats Stats();
  int device() const { return device_; }
  // A SlotScratch started (delta > 0) or stopped keeping blocks of that many bytes between calls.
  void NoteKept(int64_t delta);

 private:
  friend class DeviceAllocation;
  struct CachedBlock {
    void* ptr;
    uint64_t age;  // when it was released (a count)
  };
  using FreeBlocks = std::multimap<size_t, CachedBlock>;  // capacity → block

  void Release(void* ptr, size_t capacity);
  void FreeLocked(void* ptr, size_t capacity);
  // The cache's two indexes (by capacity, by age) kept together.
  void CacheLocked(void* ptr, size_t capacity);
  void UncacheLocked(FreeBlocks::iterator it);
  void EvictOldestLocked();

  const int device_;
  size_t KeepLimitLocked() const;

  const size_t keep_;
  size_t busyPeak_ = 0;      // most in use since the pool was last idle
  size_t lastBusyPeak_ = 0;  // the same, for the busy period before
  std::mutex mutex_;
  FreeBlocks free_;
  std::map<uint64_t, FreeBlocks::iterator> byAge_;  // the cached blocks, oldest release first
  uint64_t releases_ = 0;
  PoolStats stats_;
};

// Device blocks a slot keeps from one call to the next (our GPU Huffman decoder's and encoder's working memory):
// each use keeps the largest block it has needed, up to the slot's limit, so how many blocks a steady workload holds does not
// depend on how concurrent calls happened to overlap (with blocks borrowed per call, a rare new overlap took a
// new block from the device now and then). Needs above the limit borrow from the pool for the call only. Only
// the slot's holder uses it, on the slot's stream.
class SlotScratch {
 public:
  static constexpr int kUses = 4;
  explicit SlotScratch(size_t keepLimit) : keepLimit_(keepLimit) {}
  ~SlotScratch();
  SlotScratch(const SlotScratch&) = delete;
  SlotScratch& operator=(const SlotScratch&) = delete;
  // A block of at least `bytes` for use `use` (0 … kUses − 1) during the current call.
  Failure Get(DevicePool* pool, int use, size_t bytes, std::shared_ptr<DeviceAllocation>* out);

 private:
  const size_t keepLimit_;
  std::shared_ptr<DeviceAllocation> kept_[kUses];
  DevicePool* pool_ = nullptr;
};

// Rounds a request to the sizes the pool deals in, so near sizes share blocks: powers of two up to 4 MiB,
// multiples of 2 MiB above.
size_t PoolBlockSize(size_t bytes);

// Row pitch of device images: rows start on 256-byte boundaries, as cudaMallocPitch would place them.
inline size_t DevicePitch(size_t rowBytes) { return (rowBytes + 255) & ~static_cast<size_t>(255); }

}  // namespace jpegkit
