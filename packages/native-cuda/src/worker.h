// The worker every call runs on: Run() on one of the addon's own threads (no JS there), then the promise settles
// on the JS thread with Resolve()'s value or a JS Error carrying the failure's code.
//
// The threads are ours rather than libuv's pool: an idle one spins for a while (JPEGKIT_CUDA_SPIN_US, default
// 250 µs) before it sleeps, so a call that follows another — a service's next image — starts within a
// microsecond; a sleeping pool thread took 24–29 µs to wake (p50; 41–47 p90), measured on the H200 host, and a
// single 1080p pipeline went from 0.99 to 0.84 ms p50 (the spinning core also stays awake and warm). Four
// threads (JPEGKIT_CUDA_THREADS), and one more per slot of each engine alive, so every engine's streams can
// be busy at once; libuv's pool stays free for the process's file and DNS work. Completions go back to each JS
// thread through one thread-safe function per environment, settled inside a callback scope (promise reactions
// run after).
#pragma once

#include <napi.h>

#include "errors.h"

namespace jpegkit {

class Completions;

// Threads for calls to run on: an engine asks for one per decode slot while it lives (as many calls as it can run
// at once).
void AddWorkerThreads(int threads);
void ReleaseWorkerThreads(int threads);

// Makes the environment's completion handle (once per environment, from the addon's Init; null when it cannot).
Completions* MakeCompletions(Napi::Env env);

class PromiseWorker {
 public:
  PromiseWorker(const PromiseWorker&) = delete;
  PromiseWorker& operator=(const PromiseWorker&) = delete;
  virtual ~PromiseWorker() = default;

  // Queues the worker (deleted once its promise has settled) and returns its promise.
  Napi::Promise Start();

  // For the executor and the completion handle.
  void Execute();
  void Complete(Napi::Env env);

 protected:
  explicit PromiseWorker(Napi::Env env);

  virtual void Run() = 0;
  virtual Napi::Value Resolve(Napi::Env env) = 0;

  Failure failure_;

 private:
  Napi::Promise::Deferred deferred_;
  Completions* completions_;
};

}  // namespace jpegkit
