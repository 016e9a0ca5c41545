// The JS face of an Engine: decode, decodeBatch, encode, stats, dispose.
#pragma once

#include <napi.h>

#include <memory>

#include "engine.h"

namespace jpegkit {

class EngineObject : public Napi::ObjectWrap<EngineObject> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::Object New(Napi::Env env, std::shared_ptr<Engine> engine, const DeviceInfo& facts);
  explicit EngineObject(const Napi::CallbackInfo& info);
  // The engine behind a JS CudaEngine, or null when `value` is not one or it has been disposed.
  static std::shared_ptr<Engine> EngineOf(const Napi::Value& value);

 private:
  Napi::Value Decode(const Napi::CallbackInfo& info);
  Napi::Value DecodeBatch(const Napi::CallbackInfo& info);
  Napi::Value Encode(const Napi::CallbackInfo& info);
  Napi::Value EncodeBatch(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  // A rejected promise when disposed, else undefined.
  Napi::Value IfDisposed(Napi::Env env);

  std::shared_ptr<Engine> engine_;
};

// addon.decodeExact(engine, frame, spec): Promise<DecodeOutcome> — the exact decode path (exact.cc).
Napi::Value StartDecodeExact(const Napi::CallbackInfo& info);

}  // namespace jpegkit
