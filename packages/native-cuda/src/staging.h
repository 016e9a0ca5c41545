// A pinned (page-locked) host buffer that grows on demand: copies between the GPU and JS memory go through it,
// so they run at full PCIe speed and asynchronously on a stream.
#pragma once

#include <cstddef>
#include <cstdint>

#include "errors.h"

namespace jpegkit {

class StagingBuffer {
 public:
  StagingBuffer() = default;
  ~StagingBuffer();
  StagingBuffer(const StagingBuffer&) = delete;
  StagingBuffer& operator=(const StagingBuffer&) = delete;

  // Ensures at least `bytes` (grows by 1.5× to avoid reallocating for slowly growing sizes).
  Failure Reserve(size_t bytes);
  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Copies `rows` rows of `rowBytes` between two strided host buffers.
void CopyRows(uint8_t* dst, size_t dstStride, const uint8_t* src, size_t srcStride, size_t rowBytes, size_t rows);

}  // namespace jpegkit
