// See worker.h.
#include "worker.h"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <mutex>
#include <new>
#include <string>
#include <thread>

#include "addon-data.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define JK_SPIN_PAUSE() _mm_pause()
#else
#define JK_SPIN_PAUSE() std::this_thread::yield()
#endif

namespace jpegkit {

// An environment's way back to its JS thread: a thread-safe function whose calls settle finished workers'
// promises, inside a callback scope (promise reactions run after). It keeps the event loop alive only while
// calls are pending. When the environment goes away (a worker thread exits) the function is finalized: workers
// that finish later, or while JS can no longer run, are left alone (their JS references cannot be released then).
// One per environment, never destroyed (the threads of calls still running may use it after its environment).
class Completions {
 public:
  explicit Completions(Napi::Env env) : env_(env) {}

  // JS thread, from MakeCompletions.
  bool Open() {
    Napi::HandleScope scope(env_);
    Napi::Object resource = Napi::Object::New(env_);
    resource_ = Napi::Persistent(resource);
    if (napi_async_init(env_, resource, Napi::String::New(env_, "jpegkit:cuda"), &context_) != napi_ok) return false;
    if (napi_create_threadsafe_function(env_, nullptr, nullptr, Napi::String::New(env_, "jpegkit:cuda:done"), 0, 1,
                                        this, &Completions::OnFinalize, this, &Completions::CallJs,
                                        &function_) != napi_ok) {
      function_ = nullptr;
      return false;
    }
    return napi_unref_threadsafe_function(env_, function_) == napi_ok;
  }

  // JS thread: a call starts (the loop stays alive until it settles).
  void Started() {
    if (pending_++ == 0) napi_ref_threadsafe_function(env_, function_);
  }

  // A worker thread: `worker` has run. False when the environment is gone.
  bool Finished(PromiseWorker* worker) {
    std::lock_guard<std::mutex> lock(mutex_);
    return !closed_ && napi_call_threadsafe_function(function_, worker, napi_tsfn_nonblocking) == napi_ok;
  }

 private:
  // Whether JS can run: false while an environment is being torn down, when settling a promise would fail (and
  // node-addon-api would abort on the failure). Setting an element of a new array fails then, with no other effect.
  static bool CanCallIntoJs(napi_env env) {
    napi_value array = nullptr, undefined = nullptr;
    return napi_create_array(env, &array) == napi_ok && napi_get_undefined(env, &undefined) == napi_ok &&
           napi_set_element(env, array, 0, undefined) == napi_ok;
  }

  static void CallJs(napi_env env, napi_value, void* context, void* data) {
    if (env == nullptr) return;  // the environment is going away
    auto* self = static_cast<Completions*>(context);
    Napi::HandleScope scope(env);
    if (!CanCallIntoJs(env)) return;
    napi_callback_scope callback = nullptr;
    const bool opened =
        self->context_ != nullptr &&
        napi_open_callback_scope(env, self->resource_.Value(), self->context_, &callback) == napi_ok;
    static_cast<PromiseWorker*>(data)->Complete(Napi::Env(env));
    if (opened) napi_close_callback_scope(env, callback);
    if (--self->pending_ == 0) napi_unref_threadsafe_function(env, self->function_);
  }

  // The environment is being torn down (its references and async contexts go with it).
  static void OnFinalize(napi_env, void* data, void*) {
    auto* self = static_cast<Completions*>(data);
    std::lock_guard<std::mutex> lock(self->mutex_);
    self->closed_ = true;
  }

  napi_env env_;
  napi_threadsafe_function function_ = nullptr;
  Napi::ObjectReference resource_;
  napi_async_context context_ = nullptr;
  std::mutex mutex_;
  bool closed_ = false;
  int pending_ = 0;  // JS thread only
};

namespace {

// The process's worker threads (never destroyed: threads may still run at exit). Each takes the oldest queued
// worker; when there is none it spins for up to `spin` (checking a counter, not the lock), then sleeps.
class Executor {
 public:
  static Executor& Get() {
    static Executor* executor = new Executor();
    return *executor;
  }

  void Post(PromiseWorker* worker) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(worker);
      queued_.fetch_add(1, std::memory_order_release);
      wake = sleeping_ > 0;
    }
    if (wake) ready_.notify_one();
  }

  // Threads for `change` more (or, negative, fewer) calls at once: started up to the most ever wanted (at most
  // 1,024); never stopped (an idle one sleeps).
  void Grow(int change) {
    std::lock_guard<std::mutex> lock(growing_);
    wanted_ = std::max(0, wanted_ + change);
    for (; started_ < std::min(1024, wanted_); ++started_) std::thread([this] { Loop(); }).detach();
  }

 private:
  Executor() {
    // The threads run this library's code until the process ends: it must stay loaded when the environment that
    // loaded it goes away (Node unloads an addon with its last environment, a worker thread's).
    Dl_info self{};
    if (dladdr(reinterpret_cast<void*>(&Executor::Get), &self) != 0 && self.dli_fname != nullptr) {
      dlopen(self.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
    }
    spin_ = SpinTime();
    const char* v = std::getenv("JPEGKIT_CUDA_THREADS");
    const int n = v == nullptr ? 4 : std::atoi(v);
    Grow(n < 1 ? 4 : n);
  }

  static std::chrono::microseconds SpinTime() {
    const char* v = std::getenv("JPEGKIT_CUDA_SPIN_US");
    const long us = v == nullptr ? 250 : std::atol(v);
    return std::chrono::microseconds(us < 0 ? 0 : (us > 100000 ? 100000 : us));
  }

  PromiseWorker* TryTake() {
    if (queued_.load(std::memory_order_acquire) == 0) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    return TakeLocked();
  }

  PromiseWorker* TakeLocked() {
    if (queue_.empty()) return nullptr;
    PromiseWorker* worker = queue_.front();
    queue_.pop_front();
    queued_.fetch_sub(1, std::memory_order_relaxed);
    return worker;
  }

  void Loop() {
    for (;;) {
      PromiseWorker* worker = TryTake();
      const auto until = std::chrono::steady_clock::now() + spin_;
      while (worker == nullptr && std::chrono::steady_clock::now() < until) {
        for (int i = 0; i < 32 && queued_.load(std::memory_order_acquire) == 0; ++i) JK_SPIN_PAUSE();
        worker = TryTake();
      }
      if (worker == nullptr) {
        std::unique_lock<std::mutex> lock(mutex_);
        ++sleeping_;
        ready_.wait(lock, [this] { return !queue_.empty(); });
        --sleeping_;
        worker = TakeLocked();
      }
      worker->Execute();
    }
  }

  std::mutex growing_;
  int wanted_ = 0, started_ = 0;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<PromiseWorker*> queue_;
  std::atomic<int> queued_{0};
  int sleeping_ = 0;
  std::chrono::microseconds spin_{0};
};

}  // namespace

void AddWorkerThreads(int threads) { Executor::Get().Grow(std::max(0, threads)); }
void ReleaseWorkerThreads(int threads) { Executor::Get().Grow(-std::max(0, threads)); }

Completions* MakeCompletions(Napi::Env env) {
  auto* completions = new Completions(env);  // never deleted (see Completions)
  return completions->Open() ? completions : nullptr;
}

PromiseWorker::PromiseWorker(Napi::Env env)
    : deferred_(Napi::Promise::Deferred::New(env)), completions_(GetAddonData(env)->completions) {}

Napi::Promise PromiseWorker::Start() {
  Napi::Promise promise = deferred_.Promise();
  if (!completions_) {
    deferred_.Reject(ToJsError(promise.Env(), Fail("E_BACKEND_INIT", "the cuda addon could not set up its workers"))
                         .Value());
    delete this;
    return promise;
  }
  completions_->Started();
  Executor::Get().Post(this);
  return promise;
}

void PromiseWorker::Execute() {
  try {
    Run();
  } catch (const std::bad_alloc&) {
    failure_ = Fail("E_OUT_OF_MEMORY", "out of host memory");
  } catch (const std::exception& e) {
    failure_ = Fail("E_DEVICE_LOST", std::string("unexpected failure in the cuda addon: ") + e.what());
  }
  // Settling may delete this worker at once: nothing of it is touched after.
  completions_->Finished(this);
}

void PromiseWorker::Complete(Napi::Env env) {
  if (!failure_.ok()) {
    deferred_.Reject(ToJsError(env, failure_).Value());
  } else {
    Napi::Value value = Resolve(env);
    if (env.IsExceptionPending()) deferred_.Reject(env.GetAndClearPendingException().Value());
    else deferred_.Resolve(value);
  }
  delete this;
}

}  // namespace jpegkit
