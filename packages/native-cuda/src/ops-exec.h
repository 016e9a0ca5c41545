// DeviceExec: the op-program runner's executor on the GPU (pooled blocks, uploads and kernel launches on one
// stream), used by runOps (ops.cc) and fused pipelines (pipeline.cc).
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "device-pool.h"
#include "errors.h"
#include "kernels/ops-kernels.h"
#include "ops-program.h"
#include "ops-table-cache.h"

namespace jpegkit {

// Every block it hands out stays alive until Clear() (call it once the stream has finished).
class DeviceExec {
 public:
  using Buffer = std::shared_ptr<DeviceAllocation>;
  using Image = OpsImageOf<Buffer>;

  // `tables`: where programs' tables are kept on the device between calls (nullptr: uploaded every call).
  DeviceExec(DevicePool* pool, cudaStream_t stream, DeviceTableCache* tables = nullptr)
      : pool_(pool), stream_(stream), tables_(tables) {}

  std::string NewImage(int width, int height, int format, Image* out) {
    out->width = width;
    out->height = height;
    out->format = format;
    out->pitch = DevicePitch(static_cast<size_t>(width) * opsformat::BytesPerPixel(format));
    return Keep(pool_->Acquire(out->pitch * height * opsformat::Planes(format), &out->memory), out->memory);
  }
  uint8_t* Data(const Buffer& buffer) { return buffer->data(); }
  std::string Scratch(size_t floats, float** out) {
    Buffer block;
    const std::string error = Keep(pool_->Acquire(floats * sizeof(float), &block), block);
    if (error.empty()) *out = reinterpret_cast<float*>(block->data());
    return error;
  }
  template <typename T>
  std::string Upload(const std::vector<T>& values, const T** out) {
    return UploadBytes(values.data(), values.size() * sizeof(T), reinterpret_cast<const void**>(out));
  }
  std::string Run(const ResizeParams& p) { return Launched(LaunchOpsResize(p, stream_), "resize kernels"); }
  std::string Run(const SharpenParams& p) { return Launched(LaunchOpsSharpen(p, stream_), "sharpen kernels"); }
  std::string Run(const RemapParams& p) { return Launched(LaunchOpsRemap(p, stream_), "remap kernel"); }
  std::string Run(const AdjustParams& p) { return Launched(LaunchOpsAdjust(p, stream_), "adjust kernel"); }
  std::string Run(const ConvertParams& p) { return Launched(LaunchOpsConvert(p, stream_), "convert kernel"); }

  // The CUDA or pool failure behind the last error string, if that is what it was.
  const Failure& failure() const { return failure_; }
  // Lets go of every block (after the stream has finished).
  void Clear() {
    blocks_.clear();
    hostCopies_.clear();
    heldTables_.clear();
  }

 private:
  std::string Keep(Failure failure, const Buffer& block) {
    if (!failure.ok()) {
      failure_ = failure;
      return failure.message;
    }
    blocks_.push_back(block);
    return "";
  }
  std::string UploadBytes(const void* data, size_t bytes, const void** out) {
    if (tables_ != nullptr && tables_->Keeps(bytes)) {
      std::shared_ptr<const DeviceTable> table;
      if (tables_->Get(data, bytes, stream_, &table).ok()) {
        heldTables_.push_back(table);
        *out = table->data();
        return "";
      }
      // No stream-ordered allocator on this device (or the upload failed): the table goes with the call instead,
      // whose own upload reports a real failure.
      cudaGetLastError();
    }
    Buffer block;
    std::string error = Keep(pool_->Acquire(bytes == 0 ? 1 : bytes, &block), block);
    if (!error.empty()) return error;
    // The copy is asynchronous (staged by the driver for pageable memory): the host bytes stay alive until the end.
    hostCopies_.emplace_back(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + bytes);
    error = Launched(cudaMemcpyAsync(block->data(), hostCopies_.back().data(), bytes, cudaMemcpyHostToDevice,
                                     stream_),
                     "cudaMemcpyAsync (op tables)");
    *out = block->data();
    return error;
  }
  std::string Launched(cudaError_t error, const char* what) {
    if (error == cudaSuccess) return "";
    cudaGetLastError();
    failure_ = FromCuda(error, what);
    return failure_.message;
  }

  DevicePool* pool_;
  cudaStream_t stream_;
  DeviceTableCache* tables_;
  Failure failure_;
  std::vector<Buffer> blocks_;
  std::list<std::vector<uint8_t>> hostCopies_;
  std::vector<std::shared_ptr<const DeviceTable>> heldTables_;
};

}  // namespace jpegkit
