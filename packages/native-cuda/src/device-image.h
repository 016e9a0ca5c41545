// A decoded image kept in GPU memory (the native half of the TS CudaImage): a pooled device block with its
// geometry. download() copies it into a host buffer off the event loop; release() hands the block back to the
// pool at once (a download in flight keeps it until it finishes); garbage collection releases it too.
#pragma once

#include <napi.h>

#include <memory>

#include "device-pool.h"
#include "pixel-format.h"

namespace jpegkit {

struct DeviceImageData {
  std::shared_ptr<DeviceAllocation> memory;
  int width = 0, height = 0;
  size_t pitch = 0;
  PixelFormat format = PixelFormat::kRgb;
};

class CudaImageHandle : public Napi::ObjectWrap<CudaImageHandle> {
 public:
  static Napi::Function Define(Napi::Env env);
  // Wraps a decoded image in a new JS object of this class.
  static Napi::Object New(Napi::Env env, DeviceImageData data);
  // The handle behind a JS value, or null when it is not one.
  static CudaImageHandle* From(const Napi::Value& value);

  explicit CudaImageHandle(const Napi::CallbackInfo& info);
  // What encode and pipelines read; memory is null once released.
  const DeviceImageData& data() const { return data_; }

 private:
  Napi::Value Width(const Napi::CallbackInfo& info);
  Napi::Value Height(const Napi::CallbackInfo& info);
  Napi::Value Pitch(const Napi::CallbackInfo& info);
  Napi::Value Format(const Napi::CallbackInfo& info);
  Napi::Value Bytes(const Napi::CallbackInfo& info);
  Napi::Value Released(const Napi::CallbackInfo& info);
  // download(out: Uint8Array, stride: number): Promise<void>
  Napi::Value Download(const Napi::CallbackInfo& info);
  void Release(const Napi::CallbackInfo& info);

  DeviceImageData data_;
};

}  // namespace jpegkit
