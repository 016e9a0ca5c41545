// See pipeline.h. After the batch is decoded, on the same stream: every image's op program, then every nvJPEG
// encode (an encoder state per image), then one wait and the bitstreams; the intermediates go back to the pool
// after that wait.
#include "pipeline.h"

#include <cuda_runtime_api.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "args.h"
#include "decode-batch.h"
#include "encode-device.h"
#include "engine-object.h"
#include "engine.h"
#include "errors.h"
#include "ops-exec.h"
#include "ops-program.h"
#include "worker.h"

namespace jpegkit {

namespace {

struct ProgramRef {
  Napi::Reference<Napi::Float64Array> ref;
  const double* data = nullptr;
  size_t length = 0;
};

class PipelineWorker : public PromiseWorker {
 public:
  PipelineWorker(Napi::Env env, std::shared_ptr<Engine> engine, std::vector<DecodeItem> items,
                 std::vector<ProgramRef> programs, EncodeSettings settings, DecodeRoute route)
      : PromiseWorker(env, "jpegkit:cuda:runPipelineBatch"),
        engine_(std::move(engine)),
        items_(std::move(items)),
        programs_(std::move(programs)),
        settings_(settings),
        route_(route),
        outputs_(items_.size()) {}

 private:
  void Run() override {
    failure_ = FromCuda(cudaSetDevice(engine_->device()), "cudaSetDevice");
    if (!failure_.ok()) return;
    Lease<DecodeSlot> slot;
    Lease<EncodeSlot> encoder;
    failure_ = engine_->AcquireDecode(&slot);
    if (failure_.ok()) failure_ = engine_->AcquireEncode(&encoder);
    if (!failure_.ok()) return;
    // JPEGKIT_CUDA_TRACE=1: each call prints its host time in decode, ops (queued) and encode (with the wait).
    const bool trace = std::getenv("JPEGKIT_CUDA_TRACE") != nullptr;
    auto mark = std::chrono::steady_clock::now();
    auto lap = [&mark]() {
      const auto now = std::chrono::steady_clock::now();
      const double ms = std::chrono::duration<double, std::milli>(now - mark).count();
      mark = now;
      return ms;
    };
    DecodeItems(engine_.get(), *slot, items_, route_);
    const double decodeMs = trace ? lap() : 0;
    // Every image's ops are queued, then every encode (one encoder state each), then one wait: the intermediates
    // stay in `exec` until the stream has finished with them.
    DeviceExec exec(engine_->pool().get(), slot->stream, engine_->tables());
    std::vector<EncodeSource> sources(items_.size());
    std::vector<Failure> failures(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) {
      DecodeItem& item = items_[i];
      if (item.failure.ok()) item.failure = RunOps(item, programs_[i], exec, &sources[i]);
      failures[i] = item.failure;
    }
    const double opsMs = trace ? lap() : 0;
    std::vector<std::shared_ptr<DeviceAllocation>> scratch;
    EncodeDeviceBatch(engine_.get(), *encoder, slot->stream, sources, settings_, &scratch, &outputs_, &failures);
    for (size_t i = 0; i < items_.size(); ++i) items_[i].failure = failures[i];
    // Whatever happened, the stream must be done with the blocks before they go back to the pool.
    const cudaError_t synced = cudaStreamSynchronize(slot->stream);
    for (DecodeItem& item : items_) {
      if (synced != cudaSuccess && item.failure.ok()) item.failure = FromCuda(synced, "cudaStreamSynchronize");
      item.result.reset();
    }
    exec.Clear();
    scratch.clear();
    if (trace) {
      std::fprintf(stderr, "jpegkit pipeline: %zu images decode %.3f ops %.3f encode %.3f ms\n", items_.size(), decodeMs,
                   opsMs, lap());
    }
  }

  // Queues the image's op program on the decoded image; `source` is its result, for the encode.
  Failure RunOps(DecodeItem& item, const ProgramRef& program, DeviceExec& exec, EncodeSource* source) {
    DeviceExec::Image input, result;
    input.memory = item.result;
    input.width = item.outWidth;
    input.height = item.outHeight;
    input.format = static_cast<int>(item.format);
    input.pitch = item.pitch;
    const std::string error = RunOpsProgram(exec, program.data, program.length, input, &result);
    if (!error.empty()) {
      return exec.failure().ok() ? Fail("E_INVALID_ARGUMENT", "runPipelineBatch: " + error) : exec.failure();
    }
    // Its blocks stay alive until the wait: exec keeps what the program made, item.result the decoded image.
    *source = EncodeSource{result.memory->data(), result.pitch, result.width, result.height,
                           static_cast<PixelFormat>(result.format)};
    return Ok();
  }

  Napi::Value Resolve(Napi::Env env) override {
    Napi::Array results = Napi::Array::New(env, items_.size());
    for (size_t i = 0; i < items_.size(); ++i) results.Set(i, BytesOrError(env, items_[i].failure, outputs_[i]));
    return results;
  }

  std::shared_ptr<Engine> engine_;
  std::vector<DecodeItem> items_;
  std::vector<ProgramRef> programs_;
  EncodeSettings settings_;
  const DecodeRoute route_;
  std::vector<std::vector<uint8_t>> outputs_;
};

// runPipelineBatch(engine: CudaEngine, list: Uint8Array[], specs: DecodeSpec[] (location 'device'),
//                  programs: Float64Array[], encode: { quality, subsampling, optimize, progressive },
//                  options?: { route: 'auto' | 'hybrid' | 'kernels' | 'kernels-only' })
Napi::Value RunPipelineBatchJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsObject() || !info[1].IsArray() || !info[2].IsArray() || !info[3].IsArray() ||
      !info[4].IsObject()) {
    Throw(env, "runPipelineBatch(engine, list: Uint8Array[], specs: object[], programs: Float64Array[], encode: object)");
    return env.Undefined();
  }
  std::shared_ptr<Engine> engine = EngineObject::EngineOf(info[0]);
  if (!engine) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(ToJsError(env, Fail("E_BACKEND_INIT",
                                        "runPipelineBatch: not a CudaEngine, or the cuda backend has been disposed"))
                        .Value());
    return deferred.Promise();
  }
  Napi::Array list = info[1].As<Napi::Array>(), specs = info[2].As<Napi::Array>(),
              programs = info[3].As<Napi::Array>();
  if (list.Length() == 0 || list.Length() != specs.Length() || list.Length() != programs.Length()) {
    Throw(env, "runPipelineBatch: list, specs and programs must be non-empty and of one length");
    return env.Undefined();
  }
  std::vector<DecodeItem> items(list.Length());
  std::vector<ProgramRef> refs(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    if (!ParseDecodeItem(env, list.Get(i), specs.Get(i), &items[i])) return env.Undefined();
    if (!items[i].toDevice || items[i].format != items[0].format) {
      Throw(env, "runPipelineBatch: every spec must decode to the device, in one format");
      return env.Undefined();
    }
    Napi::Value program = programs.Get(i);
    if (!program.IsTypedArray() || program.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      Throw(env, "runPipelineBatch: programs must be Float64Arrays");
      return env.Undefined();
    }
    Napi::Float64Array array = program.As<Napi::Float64Array>();
    refs[i].ref = Napi::Persistent(array);
    refs[i].data = array.Data();
    refs[i].length = array.ElementLength();
  }
  EncodeSettings settings;
  DecodeRoute route = DecodeRoute::kAuto;
  if (!ReadEncodeSettings(env, info[4].As<Napi::Object>(), &settings) || !ReadDecodeRoute(info[5], &route)) {
    return env.Undefined();
  }
  return (new PipelineWorker(env, std::move(engine), std::move(items), std::move(refs), settings, route))
      ->Start();
}

}  // namespace

void RegisterPipeline(Napi::Env env, Napi::Object exports) {
  exports.Set("runPipelineBatch", Napi::Function::New(env, RunPipelineBatchJs, "runPipelineBatch"));
}

}  // namespace jpegkit
