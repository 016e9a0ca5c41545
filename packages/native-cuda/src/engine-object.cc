// EngineObject (see engine-object.h).
#include "engine-object.h"

#include "addon-data.h"
#include "decode.h"
#include "encode.h"
#include "worker.h"

namespace jpegkit {

namespace {

class DisposeWorker : public PromiseWorker {
 public:
  DisposeWorker(Napi::Env env, std::shared_ptr<Engine> engine)
      : PromiseWorker(env), engine_(std::move(engine)) {}

 private:
  void Run() override {
    engine_->Shutdown();  // waits for the calls in flight, off the event loop
  }
  Napi::Value Resolve(Napi::Env env) override { return env.Undefined(); }
  std::shared_ptr<Engine> engine_;
};

}  // namespace

Napi::Function EngineObject::Define(Napi::Env env) {
  return DefineClass(env, "CudaEngine",
                     {
                         InstanceMethod<&EngineObject::Decode>("decode"),
                         InstanceMethod<&EngineObject::DecodeBatch>("decodeBatch"),
                         InstanceMethod<&EngineObject::Encode>("encode"),
                         InstanceMethod<&EngineObject::EncodeBatch>("encodeBatch"),
                         InstanceMethod<&EngineObject::Stats>("stats"),
                         InstanceMethod<&EngineObject::Dispose>("dispose"),
                     });
}

Napi::Object EngineObject::New(Napi::Env env, std::shared_ptr<Engine> engine, const DeviceInfo& facts) {
  Napi::Object object = GetAddonData(env)->engineClass.New({});
  Unwrap(object)->engine_ = std::move(engine);
  object.Set("hardwareDecoder", facts.hardwareDecoder);
  object.Set("hardwareEngines", facts.hardwareEngines);
  object.Set("hardwareCoresPerEngine", facts.hardwareCoresPerEngine);
  return object;
}

EngineObject::EngineObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineObject>(info) {}

std::shared_ptr<Engine> EngineObject::EngineOf(const Napi::Value& value) {
  if (!value.IsObject()) return nullptr;
  Napi::Object object = value.As<Napi::Object>();
  if (!object.InstanceOf(GetAddonData(value.Env())->engineClass.Value())) return nullptr;
  return Unwrap(object)->engine_;
}

Napi::Value EngineObject::IfDisposed(Napi::Env env) {
  if (engine_) return env.Undefined();
  auto deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(ToJsError(env, Fail("E_BACKEND_INIT", "the cuda backend has been disposed")).Value());
  return deferred.Promise();
}

Napi::Value EngineObject::Decode(const Napi::CallbackInfo& info) {
  Napi::Value disposed = IfDisposed(info.Env());
  return disposed.IsUndefined() ? StartDecode(info, engine_) : disposed;
}

Napi::Value EngineObject::DecodeBatch(const Napi::CallbackInfo& info) {
  Napi::Value disposed = IfDisposed(info.Env());
  return disposed.IsUndefined() ? StartDecodeBatch(info, engine_) : disposed;
}

Napi::Value EngineObject::Encode(const Napi::CallbackInfo& info) {
  Napi::Value disposed = IfDisposed(info.Env());
  return disposed.IsUndefined() ? StartEncode(info, engine_) : disposed;
}

Napi::Value EngineObject::EncodeBatch(const Napi::CallbackInfo& info) {
  Napi::Value disposed = IfDisposed(info.Env());
  return disposed.IsUndefined() ? StartEncodeBatch(info, engine_) : disposed;
}

Napi::Value EngineObject::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object stats = Napi::Object::New(env);
  if (!engine_) return stats;
  const PoolStats pool = engine_->pool()->Stats();
  stats.Set("inUseBytes", static_cast<double>(pool.inUseBytes));
  stats.Set("cachedBytes", static_cast<double>(pool.cachedBytes));
  stats.Set("peakBytes", static_cast<double>(pool.peakBytes));
  stats.Set("allocations", static_cast<double>(pool.allocations));
  stats.Set("reuses", static_cast<double>(pool.reuses));
  stats.Set("frees", static_cast<double>(pool.frees));
  stats.Set("keptBytes", static_cast<double>(pool.keptBytes));
  size_t free = 0, total = 0;
  if (cudaSetDevice(engine_->device()) == cudaSuccess && cudaMemGetInfo(&free, &total) == cudaSuccess) {
    stats.Set("deviceFreeBytes", static_cast<double>(free));
    stats.Set("deviceTotalBytes", static_cast<double>(total));
  }
  return stats;
}

Napi::Value EngineObject::Dispose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!engine_) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Resolve(env.Undefined());
    return deferred.Promise();
  }
  std::shared_ptr<Engine> engine = std::move(engine_);
  return (new DisposeWorker(env, std::move(engine)))->Start();
}

}  // namespace jpegkit
