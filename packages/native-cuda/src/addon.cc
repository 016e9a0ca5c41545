// jpegkit_cuda.node: the module's exports. Nothing here touches the GPU or nvJPEG at load time, so the addon
// loads on any Linux x64 machine; probe(), loadNvjpeg() and createEngine() say why it cannot work there.
#include <napi.h>

#include <cuda_runtime_api.h>

#include <string>

#include "addon-data.h"
#include "args.h"
#include "device-image.h"
#include "device.h"
#include "engine-object.h"
#include "engine.h"
#include "errors.h"
#include "nvjpeg-api.h"
#include "ops.h"
#include "pipeline.h"
#include "worker.h"

namespace jpegkit {

// Bumped when the JS ↔ native contract changes; lib/loader.ts refuses a .node with another value.
constexpr int kAddonAbi = 3;

namespace {

Napi::Object DeviceObject(Napi::Env env, const DeviceInfo& info) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("ordinal", info.ordinal);
  object.Set("count", info.count);
  object.Set("name", info.name);
  object.Set("computeCapability", std::to_string(info.major) + "." + std::to_string(info.minor));
  object.Set("major", info.major);
  object.Set("minor", info.minor);
  object.Set("totalMemory", static_cast<double>(info.totalMemory));
  object.Set("freeMemory", static_cast<double>(info.freeMemory));
  object.Set("multiprocessors", info.multiprocessors);
  object.Set("driverVersion", CudaVersionString(info.driverVersion));
  object.Set("runtimeVersion", CudaVersionString(info.runtimeVersion));
  return object;
}

// probe(ordinal): Promise<DeviceFacts>; rejects with code E_BACKEND_INIT and the reason.
class ProbeWorker : public PromiseWorker {
 public:
  ProbeWorker(Napi::Env env, int ordinal) : PromiseWorker(env), ordinal_(ordinal) {}

 private:
  void Run() override {
    std::string reason;
    if (!QueryDevice(ordinal_, &info_, &reason)) failure_ = Fail("E_BACKEND_INIT", reason);
  }
  Napi::Value Resolve(Napi::Env env) override { return DeviceObject(env, info_); }
  int ordinal_;
  DeviceInfo info_;
};

// loadNvjpeg(): Promise<{ path, version }>; rejects with E_BACKEND_INIT, the reason and `detail` (dlerror).
class LoadNvjpegWorker : public PromiseWorker {
 public:
  explicit LoadNvjpegWorker(Napi::Env env) : PromiseWorker(env) {}

 private:
  void Run() override {
    std::string reason;
    if (LoadNvjpeg(&reason, &detail_) == nullptr) {
      failure_ = Fail("E_BACKEND_INIT", reason);
      failure_.detail = detail_;
    }
  }
  Napi::Value Resolve(Napi::Env env) override {
    Napi::Object object = Napi::Object::New(env);
    object.Set("path", NvjpegPath());
    object.Set("version", NvjpegVersion());
    return object;
  }
  std::string detail_;
};

// createEngine(options): Promise<CudaEngine>.
class CreateEngineWorker : public PromiseWorker {
 public:
  CreateEngineWorker(Napi::Env env, EngineOptions options)
      : PromiseWorker(env), options_(options) {}

 private:
  void Run() override { failure_ = Engine::Create(options_, &engine_, &facts_); }
  Napi::Value Resolve(Napi::Env env) override { return EngineObject::New(env, std::move(engine_), facts_); }
  EngineOptions options_;
  std::shared_ptr<Engine> engine_;
  DeviceInfo facts_;
};

Napi::Value Probe(const Napi::CallbackInfo& info) {
  int ordinal = 0;
  if (info.Length() > 0 && info[0].IsNumber()) ordinal = info[0].As<Napi::Number>().Int32Value();
  return (new ProbeWorker(info.Env(), ordinal))->Start();
}

Napi::Value LoadNvjpegJs(const Napi::CallbackInfo& info) { return (new LoadNvjpegWorker(info.Env()))->Start(); }

Napi::Value CreateEngine(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EngineOptions options;
  if (info.Length() > 0 && info[0].IsObject()) {
    Napi::Object o = info[0].As<Napi::Object>();
    int64_t device = 0, streams = options.streams, keepMiB = static_cast<int64_t>(options.poolKeepBytes >> 20),
            gpuHuffman = static_cast<int64_t>(options.gpuHuffmanPixels);
    if (!ReadOptionalInt(o, "device", 0, 63, &device) || !ReadOptionalInt(o, "streams", 1, 64, &streams) ||
        !ReadOptionalInt(o, "poolKeepMiB", 0, 1 << 20, &keepMiB) ||
        !ReadOptionalInt(o, "gpuHuffmanPixels", 0, int64_t{1} << 40, &gpuHuffman) ||
        !ReadOptionalBool(o, "hardware", &options.hardware)) {
      return env.Undefined();
    }
    options.device = static_cast<int>(device);
    options.streams = static_cast<int>(streams);
    options.poolKeepBytes = static_cast<size_t>(keepMiB) << 20;
    options.gpuHuffmanPixels = static_cast<size_t>(gpuHuffman);
  }
  return (new CreateEngineWorker(env, options))->Start();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  data->engineClass = Napi::Persistent(EngineObject::Define(env));
  data->imageClass = Napi::Persistent(CudaImageHandle::Define(env));
  data->completions = MakeCompletions(env);
  env.SetInstanceData(data);

  exports.Set("abi", kAddonAbi);
  exports.Set("cudaRuntime", CudaVersionString(CUDART_VERSION));
  exports.Set("kernelTargets", "sm_80, sm_90, compute_90");
  exports.Set("nvjpegNotFound", kNvjpegNotFound);
  exports.Set("probe", Napi::Function::New(env, Probe, "probe"));
  exports.Set("loadNvjpeg", Napi::Function::New(env, LoadNvjpegJs, "loadNvjpeg"));
  exports.Set("createEngine", Napi::Function::New(env, CreateEngine, "createEngine"));
  exports.Set("decodeExact", Napi::Function::New(env, StartDecodeExact, "decodeExact"));
  exports.Set("CudaEngine", data->engineClass.Value());
  exports.Set("CudaImageHandle", data->imageClass.Value());
  RegisterOps(env, exports);
  RegisterPipeline(env, exports);
  return exports;
}

}  // namespace

}  // namespace jpegkit

static Napi::Object InitJpegkitCuda(Napi::Env env, Napi::Object exports) { return jpegkit::Init(env, exports); }

NODE_API_MODULE(jpegkit_cuda, InitJpegkitCuda)
