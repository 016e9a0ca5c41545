// engine.encode: host pixels go up through the slot's pinned staging into a pooled device block; device images
// are encoded where they are (encode-device.h).
#include "encode.h"

#include <cuda_runtime_api.h>

#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "device-image.h"
#include "image-input.h"
#include "encode-device.h"
#include "engine.h"
#include "pixel-format.h"
#include "worker.h"

namespace jpegkit {

namespace {

struct EncodeJob {
  // Source: host pixels (data/stride) or a device image.
  Napi::Reference<Napi::Uint8Array> dataRef;
  const uint8_t* data = nullptr;
  size_t stride = 0;
  DeviceImageData device;  // memory set for device input
  int width = 0, height = 0;
  PixelFormat format = PixelFormat::kRgb;
  EncodeSettings settings;
};

class EncodeWorker : public PromiseWorker {
 public:
  EncodeWorker(Napi::Env env, std::shared_ptr<Engine> engine, EncodeJob job)
      : PromiseWorker(env, "jpegkit:cuda:encode"), engine_(std::move(engine)), job_(std::move(job)) {}

 private:
  void Run() override {
    failure_ = Encode();
    job_.device.memory.reset();
    upload_.reset();
    scratch_.reset();
  }

  Failure Encode() {
    if (job_.device.memory && job_.device.memory->device() != engine_->device()) {
      return Fail("E_INVALID_ARGUMENT", "the device image is on GPU " + std::to_string(job_.device.memory->device()) +
                                            " but this engine runs on GPU " + std::to_string(engine_->device()));
    }
    Lease<EncodeSlot> slot;
    JK_TRY(engine_->AcquireEncode(&slot));
    cudaStream_t stream = slot->stream;
    const size_t rowBytes = static_cast<size_t>(job_.width) * BytesPerPixel(job_.format);
    const size_t rows = RowsOf(job_.format, job_.height);

    // 1. The pixels on the device.
    uint8_t* source = nullptr;
    size_t pitch = 0;
    if (job_.device.memory) {
      source = job_.device.memory->data();
      pitch = job_.device.pitch;
    } else {
      pitch = DevicePitch(rowBytes);
      JK_TRY(engine_->pool()->Acquire(pitch * rows, &upload_));
      JK_TRY(slot->staging.Reserve(job_.stride * (rows - 1) + rowBytes));
      CopyRows(slot->staging.data(), job_.stride, job_.data, job_.stride, rowBytes, rows);
      JK_CUDA(cudaMemcpy2DAsync(upload_->data(), pitch, slot->staging.data(), job_.stride, rowBytes, rows,
                                cudaMemcpyHostToDevice, stream));
      source = upload_->data();
    }

    // 2. Encode where the pixels are.
    return EncodeDevicePixels(engine_.get(), *slot, stream, source, pitch, job_.width, job_.height, job_.format,
                              job_.settings, &scratch_, &output_);
  }

  Napi::Value Resolve(Napi::Env env) override {
    Napi::Uint8Array bytes = Napi::Uint8Array::New(env, output_.size());
    if (!output_.empty()) std::memcpy(bytes.Data(), output_.data(), output_.size());
    return bytes;
  }

  std::shared_ptr<Engine> engine_;
  EncodeJob job_;
  std::shared_ptr<DeviceAllocation> upload_, scratch_;
  std::vector<uint8_t> output_;
};

}  // namespace

Napi::Value StartEncode(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject() || !info[1].IsObject()) {
    Throw(env, "encode(input: object, options: object)");
    return env.Undefined();
  }
  Napi::Object input = info[0].As<Napi::Object>(), options = info[1].As<Napi::Object>();
  EncodeJob job;
  if (!ReadImageInput(env, input, "encode", &job)) return env.Undefined();
  if (!ReadEncodeSettings(env, options, &job.settings)) return env.Undefined();
  return (new EncodeWorker(env, engine, std::move(job)))->Start();
}

}  // namespace jpegkit
