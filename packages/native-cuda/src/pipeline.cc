// See pipeline.h. The batch's decode, then on the slot's stream every image's op program and the encodes, then
// one wait; the intermediates go back to the pool after that wait. When our kernels take the whole batch, their
// decode is still running while the rest is queued (PendingKernelDecode), and an image their decoder flags goes
// through the pipeline once more, decoded another way.
#include "pipeline.h"

#include <cuda_runtime_api.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
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
      : PromiseWorker(env),
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
    // JPEGKIT_CUDA_TRACE=1: each call prints its host time in decode, then in ops and encode (with the wait).
    const bool trace = std::getenv("JPEGKIT_CUDA_TRACE") != nullptr;
    auto mark = std::chrono::steady_clock::now();
    auto lap = [&mark]() {
      const auto now = std::chrono::steady_clock::now();
      const double ms = std::chrono::duration<double, std::milli>(now - mark).count();
      mark = now;
      return ms;
    };
    // A call our kernels decode whole is left running while the ops and the encode are queued behind it; what
    // the decoder then turns out to have flagged goes through the whole pipeline again, decoded another way.
    std::vector<size_t> all(items_.size()), again;
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    PendingKernelDecode pending;
    const std::function<double()> timer = trace ? std::function<double()>(lap) : nullptr;
    const double decodeMs = RunStages(*slot, *encoder, items_, all, &pending, &again, timer);
    if (!again.empty()) {
      std::vector<DecodeItem> redo;
      for (size_t i : again) {
        redo.push_back(std::move(items_[i]));
        redo.back().failure = Ok();
        redo.back().route = "";
      }
      RunStages(*slot, *encoder, redo, again, nullptr, nullptr, nullptr);
      for (size_t k = 0; k < again.size(); ++k) items_[again[k]] = std::move(redo[k]);
    }
    if (trace) {
      std::fprintf(stderr, "jpegkit pipeline: %zu images decode %.3f, then ops + encode %.3f ms\n", items_.size(),
                   decodeMs, lap());
    }
  }

  // Decodes `batch` (items_[which[k]] for each k; left running when `pending` is given and our kernels take it
  // whole), queues the op programs and the encodes, waits, and puts the outputs in place. With `pending`, the
  // indices of what the decoder flagged go to `again` (their outputs are dropped). Returns the decode's host time
  // (`lap`, when given).
  double RunStages(DecodeSlot& slot, EncodeSlot& encoder, std::vector<DecodeItem>& batch,
                   const std::vector<size_t>& which, PendingKernelDecode* pending, std::vector<size_t>* again,
                   const std::function<double()>& lap) {
    DecodeItems(engine_.get(), slot, batch, route_, pending);
    const double decodeMs = lap ? lap() : 0;
    // Every image's ops are queued, then every encode, then one wait: the intermediates stay in `exec` until the
    // stream has finished with them.
    DeviceExec exec(engine_->pool().get(), slot.stream, engine_->tables());
    std::vector<EncodeSource> sources(batch.size());
    std::vector<Failure> failures(batch.size());
    for (size_t k = 0; k < batch.size(); ++k) {
      DecodeItem& item = batch[k];
      if (item.failure.ok()) item.failure = RunOps(item, programs_[which[k]], exec, &sources[k]);
      failures[k] = item.failure;
    }
    std::vector<std::shared_ptr<DeviceAllocation>> scratch;
    std::vector<std::vector<uint8_t>> outputs;
    EncodeDeviceBatch(engine_.get(), encoder, slot.stream, sources, settings_, &scratch, &outputs, &failures);
    // Whatever happened, the stream must be done with the blocks before they go back to the pool.
    const cudaError_t synced = cudaStreamSynchronize(slot.stream);
    std::vector<bool> flagged(batch.size(), false);
    if (pending != nullptr) {
      for (DecodeItem* item : pending->Finish()) flagged[static_cast<size_t>(item - batch.data())] = true;
    }
    for (size_t k = 0; k < batch.size(); ++k) {
      DecodeItem& item = batch[k];
      item.failure = failures[k];
      if (synced != cudaSuccess && item.failure.ok()) item.failure = FromCuda(synced, "cudaStreamSynchronize");
      item.result.reset();
      if (flagged[k] && synced == cudaSuccess) {
        again->push_back(which[k]);
        continue;
      }
      outputs_[which[k]] = std::move(outputs[k]);
    }
    exec.Clear();
    scratch.clear();
    return decodeMs;
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
