// Pinned staging buffers (see staging.h).
#include "staging.h"

#include <cuda_runtime_api.h>

#include <cstring>

namespace jpegkit {

StagingBuffer::~StagingBuffer() {
  if (data_ != nullptr) cudaFreeHost(data_);
}

Failure StagingBuffer::Reserve(size_t bytes) {
  if (bytes <= size_) return Ok();
  const size_t grown = size_ + size_ / 2;
  const size_t size = bytes > grown ? bytes : grown;
  if (data_ != nullptr) cudaFreeHost(data_);
  data_ = nullptr;
  size_ = 0;
  void* ptr = nullptr;
  cudaError_t error = cudaHostAlloc(&ptr, size, cudaHostAllocDefault);
  if (error != cudaSuccess) {
    cudaGetLastError();
    return FromCuda(error, "cudaHostAlloc (pinned staging buffer)");
  }
  data_ = static_cast<uint8_t*>(ptr);
  size_ = size;
  return Ok();
}

void CopyRows(uint8_t* dst, size_t dstStride, const uint8_t* src, size_t srcStride, size_t rowBytes, size_t rows) {
  if (dstStride == rowBytes && srcStride == rowBytes) {
    std::memcpy(dst, src, rowBytes * rows);
    return;
  }
  for (size_t y = 0; y < rows; ++y) std::memcpy(dst + y * dstStride, src + y * srcStride, rowBytes);
}

}  // namespace jpegkit
