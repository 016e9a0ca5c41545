// runOps (see ops.h). Every image the program makes comes from the engine's device pool and stays alive until the
// stream has finished (a block handed back early could be reused by another stream while kernels still read it);
// the input is never written; only the last image is kept, as the result.
#include "ops.h"

#include <cuda_runtime_api.h>

#include <list>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "device-image.h"
#include "image-input.h"
#include "engine-object.h"
#include "engine.h"
#include "ops-exec.h"
#include "ops-program.h"
#include "pixel-format.h"
#include "worker.h"

namespace jpegkit {

namespace {

struct OpsJob {
  DeviceImageData device;  // device input (memory set), else host pixels below
  Napi::Reference<Napi::Uint8Array> dataRef;
  const uint8_t* data = nullptr;
  size_t stride = 0;
  int width = 0, height = 0;
  PixelFormat format = PixelFormat::kRgb;
  Napi::Reference<Napi::Float64Array> programRef;
  const double* program = nullptr;
  size_t length = 0;
};

class OpsWorker : public PromiseWorker {
 public:
  OpsWorker(Napi::Env env, std::shared_ptr<Engine> engine, OpsJob job)
      : PromiseWorker(env), engine_(std::move(engine)), job_(std::move(job)) {}

 private:
  void Run() override {
    failure_ = RunOps();
    job_.device.memory.reset();
    if (!failure_.ok()) result_.memory.reset();
  }

  Failure RunOps() {
    JK_CUDA(cudaSetDevice(engine_->device()));
    if (job_.device.memory && job_.device.memory->device() != engine_->device()) {
      return Fail("E_INVALID_ARGUMENT", "the device image is on GPU " + std::to_string(job_.device.memory->device()) +
                                            " but this engine runs on GPU " + std::to_string(engine_->device()));
    }
    Lease<DecodeSlot> slot;  // for its stream and pinned staging
    JK_TRY(engine_->AcquireDecode(&slot));
    cudaStream_t stream = slot->stream;
    DeviceExec exec(engine_->pool().get(), stream, engine_->tables());

    DeviceExec::Image input;
    input.width = job_.width;
    input.height = job_.height;
    input.format = static_cast<int>(job_.format);
    if (job_.device.memory) {
      input.memory = job_.device.memory;
      input.pitch = job_.device.pitch;
    } else {
      const std::string error = exec.NewImage(job_.width, job_.height, input.format, &input);
      if (!error.empty()) return exec.failure();
      const size_t rowBytes = static_cast<size_t>(job_.width) * BytesPerPixel(job_.format);
      const size_t rows = RowsOf(job_.format, job_.height);
      JK_TRY(slot->staging.Reserve(job_.stride * (rows - 1) + rowBytes));
      CopyRows(slot->staging.data(), job_.stride, job_.data, job_.stride, rowBytes, rows);
      JK_CUDA(cudaMemcpy2DAsync(input.memory->data(), input.pitch, slot->staging.data(), job_.stride, rowBytes, rows,
                                cudaMemcpyHostToDevice, stream));
    }

    DeviceExec::Image output;
    const std::string error = RunOpsProgram(exec, job_.program, job_.length, input, &output);
    // Whatever happened, nothing may be handed back while the stream can still touch it.
    const cudaError_t synced = cudaStreamSynchronize(stream);
    if (!error.empty()) {
      exec.Clear();
      return exec.failure().ok() ? Fail("E_INVALID_ARGUMENT", "runOps: " + error) : exec.failure();
    }
    if (synced != cudaSuccess) {
      cudaGetLastError();
      exec.Clear();
      return FromCuda(synced, "cudaStreamSynchronize (ops)");
    }
    result_ = DeviceImageData{output.memory, output.width, output.height, output.pitch,
                              static_cast<PixelFormat>(output.format)};
    exec.Clear();  // the result keeps its own block
    return Ok();
  }

  Napi::Value Resolve(Napi::Env env) override { return CudaImageHandle::New(env, std::move(result_)); }

  std::shared_ptr<Engine> engine_;
  OpsJob job_;
  DeviceImageData result_;
};

// runOps(engine: CudaEngine, input: { image } | { data, width, height, stride, format }, program: Float64Array)
Napi::Value RunOpsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsObject() || !info[1].IsObject() || !info[2].IsTypedArray() ||
      info[2].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    Throw(env, "runOps(engine: CudaEngine, input: object, program: Float64Array)");
    return env.Undefined();
  }
  std::shared_ptr<Engine> engine = EngineObject::EngineOf(info[0]);
  if (!engine) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(
        ToJsError(env, Fail("E_BACKEND_INIT", "runOps: not a CudaEngine, or the cuda backend has been disposed"))
            .Value());
    return deferred.Promise();
  }
  Napi::Object input = info[1].As<Napi::Object>();
  OpsJob job;
  if (!ReadImageInput(env, input, "runOps", &job)) return env.Undefined();
  Napi::Float64Array program = info[2].As<Napi::Float64Array>();
  job.programRef = Napi::Persistent(program);
  job.program = program.Data();
  job.length = program.ElementLength();
  return (new OpsWorker(env, std::move(engine), std::move(job)))->Start();
}

}  // namespace

void RegisterOps(Napi::Env env, Napi::Object exports) {
  exports.Set("runOps", Napi::Function::New(env, RunOpsJs, "runOps"));
}

}  // namespace jpegkit
