// engine.encode: host pixels go up through the slot's pinned staging into a pooled device block; device images
// are encoded where they are (encode-device.h).
#include "encode.h"

#include <cuda_runtime_api.h>

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

// Bytes of pinned staging a host image needs (0 for a device image).
size_t StagingBytes(const EncodeJob& job) {
  if (job.device.memory) return 0;
  const size_t rowBytes = static_cast<size_t>(job.width) * BytesPerPixel(job.format);
  return (job.stride * (RowsOf(job.format, job.height) - 1) + rowBytes + 255) / 256 * 256;
}

// The job's pixels on the device: a device image where it is, host pixels copied through `staging` (StagingBytes
// of pinned memory) into a pooled block (`upload`) on `stream`.
Failure SourceOf(Engine* engine, EncodeJob& job, uint8_t* staging, cudaStream_t stream,
                 std::shared_ptr<DeviceAllocation>* upload, EncodeSource* source) {
  *source = EncodeSource{nullptr, 0, job.width, job.height, job.format};
  if (job.device.memory) {
    if (job.device.memory->device() != engine->device()) {
      return Fail("E_INVALID_ARGUMENT", "the device image is on GPU " + std::to_string(job.device.memory->device()) +
                                            " but this engine runs on GPU " + std::to_string(engine->device()));
    }
    source->data = job.device.memory->data();
    source->pitch = job.device.pitch;
    return Ok();
  }
  const size_t rowBytes = static_cast<size_t>(job.width) * BytesPerPixel(job.format);
  const size_t rows = RowsOf(job.format, job.height);
  source->pitch = DevicePitch(rowBytes);
  JK_TRY(engine->pool()->Acquire(source->pitch * rows, upload));
  CopyRows(staging, job.stride, job.data, job.stride, rowBytes, rows);
  JK_CUDA(cudaMemcpy2DAsync((*upload)->data(), source->pitch, staging, job.stride, rowBytes, rows,
                            cudaMemcpyHostToDevice, stream));
  source->data = (*upload)->data();
  return Ok();
}

class EncodeWorker : public PromiseWorker {
 public:
  EncodeWorker(Napi::Env env, std::shared_ptr<Engine> engine, EncodeJob job)
      : PromiseWorker(env), engine_(std::move(engine)), job_(std::move(job)) {}

 private:
  void Run() override {
    failure_ = Encode();
    job_.device.memory.reset();
    upload_.reset();
    scratch_.reset();
  }

  Failure Encode() {
    Lease<EncodeSlot> slot;
    JK_TRY(engine_->AcquireEncode(&slot));
    JK_TRY(slot->staging.Reserve(StagingBytes(job_)));
    EncodeSource source;
    JK_TRY(SourceOf(engine_.get(), job_, slot->staging.data(), slot->stream, &upload_, &source));
    return EncodeDevicePixels(engine_.get(), *slot, slot->stream, source, job_.settings, &scratch_, &output_);
  }

  Napi::Value Resolve(Napi::Env env) override { return BytesToJs(env, output_); }

  std::shared_ptr<Engine> engine_;
  EncodeJob job_;
  std::shared_ptr<DeviceAllocation> upload_, scratch_;
  std::vector<uint8_t> output_;
};

// A batch on one encode slot (EncodeDeviceBatch: an encoder state per image, one wait); errors in place.
class EncodeBatchWorker : public PromiseWorker {
 public:
  EncodeBatchWorker(Napi::Env env, std::shared_ptr<Engine> engine, std::vector<EncodeJob> jobs)
      : PromiseWorker(env), engine_(std::move(engine)), jobs_(std::move(jobs)) {}

 private:
  void Run() override {
    const size_t n = jobs_.size();
    failures_.assign(n, Ok());
    outputs_.assign(n, {});
    Lease<EncodeSlot> slot;
    failure_ = engine_->AcquireEncode(&slot);
    size_t stagingBytes = 0;
    for (const EncodeJob& job : jobs_) stagingBytes += StagingBytes(job);
    if (failure_.ok()) failure_ = slot->staging.Reserve(stagingBytes);
    if (!failure_.ok()) return;
    std::vector<std::shared_ptr<DeviceAllocation>> uploads(n);
    std::vector<EncodeSource> sources(n);
    size_t offset = 0;
    for (size_t i = 0; i < n; ++i) {
      failures_[i] =
          SourceOf(engine_.get(), jobs_[i], slot->staging.data() + offset, slot->stream, &uploads[i], &sources[i]);
      offset += StagingBytes(jobs_[i]);
    }
    std::vector<std::shared_ptr<DeviceAllocation>> scratch;
    EncodeDeviceBatch(engine_.get(), *slot, slot->stream, sources, jobs_.front().settings, &scratch, &outputs_,
                      &failures_);
    cudaStreamSynchronize(slot->stream);  // (done already unless an upload failed midway) before the blocks go back
    for (EncodeJob& job : jobs_) job.device.memory.reset();
  }

  Napi::Value Resolve(Napi::Env env) override {
    Napi::Array results = Napi::Array::New(env, jobs_.size());
    for (size_t i = 0; i < jobs_.size(); ++i) results.Set(i, BytesOrError(env, failures_[i], outputs_[i]));
    return results;
  }

  std::shared_ptr<Engine> engine_;
  std::vector<EncodeJob> jobs_;
  std::vector<Failure> failures_;
  std::vector<std::vector<uint8_t>> outputs_;
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

Napi::Value StartEncodeBatch(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray() || !info[1].IsObject()) {
    Throw(env, "encodeBatch(inputs: object[], options: object)");
    return env.Undefined();
  }
  Napi::Array inputs = info[0].As<Napi::Array>();
  if (inputs.Length() == 0) {
    Throw(env, "encodeBatch: inputs must not be empty");
    return env.Undefined();
  }
  EncodeSettings settings;
  if (!ReadEncodeSettings(env, info[1].As<Napi::Object>(), &settings)) return env.Undefined();
  std::vector<EncodeJob> jobs(inputs.Length());
  for (uint32_t i = 0; i < inputs.Length(); ++i) {
    Napi::Value input = inputs.Get(i);
    if (!input.IsObject()) {
      Throw(env, "encodeBatch: every input must be an object");
      return env.Undefined();
    }
    if (!ReadImageInput(env, input.As<Napi::Object>(), "encodeBatch", &jobs[i])) return env.Undefined();
    jobs[i].settings = settings;
  }
  return (new EncodeBatchWorker(env, engine, std::move(jobs)))->Start();
}

}  // namespace jpegkit
