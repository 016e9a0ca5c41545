// Device copies of op-program tables (resize weights and offsets, sharpen kernels, adjust tables), kept per
// engine and found by content: a resize service runs the same few programs over and over, and uploading a
// program's tables from pageable memory took more host time per image than the kernels that read them.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "errors.h"

namespace jpegkit {

// One table on the device (stream-ordered allocation: neither allocating nor freeing it waits for the device).
// Whoever queues work that reads it holds the pointer until that work has finished.
class DeviceTable {
 public:
  DeviceTable(int device, void* data, std::vector<uint8_t> host, uint64_t hash)
      : device_(device), data_(data), host_(std::move(host)), hash_(hash) {}
  ~DeviceTable();
  DeviceTable(const DeviceTable&) = delete;
  DeviceTable& operator=(const DeviceTable&) = delete;
  const void* data() const { return data_; }
  const std::vector<uint8_t>& host() const { return host_; }
  uint64_t hash() const { return hash_; }

 private:
  int device_;
  void* data_;
  std::vector<uint8_t> host_;
  uint64_t hash_;
};

class DeviceTableCache {
 public:
  // At most `maxEntries` tables and `maxBytes` in all (least recently used go first).
  DeviceTableCache(int device, size_t maxEntries = 64, size_t maxBytes = 32u << 20)
      : device_(device), maxEntries_(maxEntries), maxBytes_(maxBytes) {}

  // Whether a table of `bytes` is kept (up to a quarter of maxBytes; a larger one goes with its call).
  bool Keeps(size_t bytes) const { return bytes <= maxBytes_ / 4; }
  // The device copy of `bytes` bytes at `host` (Keeps(bytes)): one with the same content, or a new one uploaded
  // on `stream` (and waited for, so work on any stream may read it at once).
  Failure Get(const void* host, size_t bytes, cudaStream_t stream, std::shared_ptr<const DeviceTable>* out);
  // Lets go of every table (their memory is freed once no queued work holds them).
  void Clear();
  static uint64_t Hash(const uint8_t* data, size_t bytes);

 private:
  using Entry = std::shared_ptr<const DeviceTable>;
  int device_;
  size_t maxEntries_, maxBytes_;
  size_t bytes_ = 0;
  std::mutex mutex_;
  std::list<Entry> recent_;  // most recently used first
  std::unordered_multimap<uint64_t, std::list<Entry>::iterator> byHash_;
};

}  // namespace jpegkit
