// The AsyncWorker every call runs on: Run() on a libuv worker thread (no JS there), then the promise settles
// on the JS thread with Resolve()'s value or a JS Error carrying the failure's code.
#pragma once

#include <napi.h>

#include <exception>
#include <new>
#include <string>

#include "errors.h"

namespace jpegkit {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  // Queues the worker (which deletes itself when done) and returns its promise.
  Napi::Promise Start() {
    Napi::Promise promise = deferred_.Promise();
    Queue();
    return promise;
  }

 protected:
  PromiseWorker(Napi::Env env, const char* name)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}

  virtual void Run() = 0;
  virtual Napi::Value Resolve(Napi::Env env) = 0;

  Failure failure_;

 private:
  void Execute() final {
    try {
      Run();
    } catch (const std::bad_alloc&) {
      failure_ = Fail("E_OUT_OF_MEMORY", "out of host memory");
    } catch (const std::exception& e) {
      failure_ = Fail("E_DEVICE_LOST", std::string("unexpected failure in the cuda addon: ") + e.what());
    }
  }

  void OnOK() final {
    Napi::Env env = Env();
    if (!failure_.ok()) {
      deferred_.Reject(ToJsError(env, failure_).Value());
      return;
    }
    Napi::Value value = Resolve(env);
    if (env.IsExceptionPending()) {
      deferred_.Reject(env.GetAndClearPendingException().Value());
      return;
    }
    deferred_.Resolve(value);
  }

  void OnError(const Napi::Error& error) final { deferred_.Reject(error.Value()); }

  Napi::Promise::Deferred deferred_;
};

}  // namespace jpegkit
