// engine.decode / engine.decodeBatch: one worker (worker.h) per call, decoding on a borrowed slot (decode-batch.h).
#include "decode.h"

#include <string>
#include <vector>

#include "args.h"
#include "decode-batch.h"
#include "device-image.h"
#include "engine.h"
#include "worker.h"

namespace jpegkit {

namespace {

class DecodeWorker : public PromiseWorker {
 public:
  DecodeWorker(Napi::Env env, std::shared_ptr<Engine> engine, std::vector<DecodeItem> items, bool batch,
               DecodeRoute route)
      : PromiseWorker(env),
        engine_(std::move(engine)),
        items_(std::move(items)),
        batch_(batch),
        route_(route) {}

 private:
  void Run() override {
    Lease<DecodeSlot> slot;
    failure_ = engine_->AcquireDecode(&slot);
    if (!failure_.ok()) return;
    DecodeItems(engine_.get(), *slot, items_, route_);
    if (!batch_) failure_ = items_.front().failure;
  }

  Napi::Value Outcome(Napi::Env env, DecodeItem& item) {
    Napi::Object outcome = Napi::Object::New(env);
    outcome.Set("width", item.outWidth);
    outcome.Set("height", item.outHeight);
    outcome.Set("route", item.route);
    if (item.toDevice) {
      DeviceImageData data{std::move(item.result), item.outWidth, item.outHeight, item.pitch, item.format};
      outcome.Set("image", CudaImageHandle::New(env, std::move(data)));
    }
    return outcome;
  }

  Napi::Value Resolve(Napi::Env env) override {
    if (!batch_) return Outcome(env, items_.front());
    Napi::Array results = Napi::Array::New(env, items_.size());
    for (size_t i = 0; i < items_.size(); ++i) {
      DecodeItem& item = items_[i];
      results.Set(i, item.failure.ok() ? Outcome(env, item) : ToJsError(env, item.failure).Value());
    }
    return results;
  }

  std::shared_ptr<Engine> engine_;
  std::vector<DecodeItem> items_;
  const bool batch_;
  const DecodeRoute route_;
};

}  // namespace

Napi::Value StartDecode(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine) {
  Napi::Env env = info.Env();
  std::vector<DecodeItem> items(1);
  DecodeRoute route = DecodeRoute::kAuto;
  if (!ParseDecodeItem(env, info[0], info[1], &items[0]) || !ReadDecodeRoute(info[2], &route)) {
    return env.Undefined();
  }
  return (new DecodeWorker(env, engine, std::move(items), false, route))->Start();
}

Napi::Value StartDecodeBatch(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray() || !info[1].IsArray()) {
    Throw(env, "decodeBatch(list: Uint8Array[], specs: object[], options?)");
    return env.Undefined();
  }
  Napi::Array list = info[0].As<Napi::Array>(), specs = info[1].As<Napi::Array>();
  if (list.Length() == 0 || list.Length() != specs.Length()) {
    Throw(env, "decodeBatch: list and specs must be non-empty and of one length");
    return env.Undefined();
  }
  std::vector<DecodeItem> items(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    if (!ParseDecodeItem(env, list.Get(i), specs.Get(i), &items[i])) return env.Undefined();
    if (items[i].format != items[0].format) {
      Throw(env, "decodeBatch: every spec must ask for one format");
      return env.Undefined();
    }
  }
  DecodeRoute route = DecodeRoute::kAuto;
  if (!ReadDecodeRoute(info[2], &route)) return env.Undefined();
  return (new DecodeWorker(env, engine, std::move(items), true, route))->Start();
}

}  // namespace jpegkit
