// See ops-table-cache.h.
#include "ops-table-cache.h"

#include <cstring>

namespace jpegkit {

DeviceTable::~DeviceTable() {
  // Every holder has waited for its stream: nothing queued reads the table any more.
  int current = -1;
  cudaGetDevice(&current);
  if (current != device_) cudaSetDevice(device_);
  cudaFreeAsync(data_, cudaStreamPerThread);
  if (current != device_ && current >= 0) cudaSetDevice(current);
}

uint64_t DeviceTableCache::Hash(const uint8_t* data, size_t bytes) {
  // Four independent multiply–xorshift lanes over 8-byte words, then the tail (a few µs for 100 KB of weights).
  constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;
  uint64_t lane[4] = {bytes, 0x243f6a8885a308d3ull, 0x13198a2e03707344ull, 0xa4093822299f31d0ull};
  size_t i = 0;
  for (; i + 32 <= bytes; i += 32) {
    for (int k = 0; k < 4; ++k) {
      uint64_t word;
      std::memcpy(&word, data + i + 8 * k, 8);
      lane[k] = (lane[k] ^ word) * kMul;
      lane[k] ^= lane[k] >> 31;
    }
  }
  uint64_t h = lane[0] ^ (lane[1] * 3) ^ (lane[2] * 5) ^ (lane[3] * 7);
  for (; i < bytes; ++i) h = (h ^ data[i]) * kMul;
  return h ^ (h >> 29);
}

Failure DeviceTableCache::Get(const void* host, size_t bytes, cudaStream_t stream,
                              std::shared_ptr<const DeviceTable>* out) {
  const uint8_t* from = static_cast<const uint8_t*>(host);
  const uint64_t hash = Hash(from, bytes);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto range = byHash_.equal_range(hash);
    for (auto it = range.first; it != range.second; ++it) {
      const Entry& entry = *it->second;
      if (entry->host().size() == bytes && std::memcmp(entry->host().data(), from, bytes) == 0) {
        recent_.splice(recent_.begin(), recent_, it->second);
        *out = entry;
        return Ok();
      }
    }
  }
  void* data = nullptr;
  JK_CUDA(cudaMallocAsync(&data, bytes == 0 ? 1 : bytes, stream));
  auto table = std::make_shared<const DeviceTable>(device_, data, std::vector<uint8_t>(from, from + bytes), hash);
  if (bytes > 0) {
    JK_CUDA(cudaMemcpyAsync(data, table->host().data(), bytes, cudaMemcpyHostToDevice, stream));
  }
  JK_CUDA(cudaStreamSynchronize(stream));
  *out = table;
  std::lock_guard<std::mutex> lock(mutex_);
  recent_.push_front(table);
  byHash_.emplace(hash, recent_.begin());
  bytes_ += bytes;
  while (recent_.size() > maxEntries_ || bytes_ > maxBytes_) {
    const Entry& last = recent_.back();
    auto range = byHash_.equal_range(last->hash());
    for (auto it = range.first; it != range.second; ++it) {
      if (&*it->second == &last) {
        byHash_.erase(it);
        break;
      }
    }
    bytes_ -= last->host().size();
    recent_.pop_back();
  }
  return Ok();
}

void DeviceTableCache::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  byHash_.clear();
  recent_.clear();
  bytes_ = 0;
}

}  // namespace jpegkit
