// Pixel ops on the device: runOps(engine, input, program) runs an op program (lib/ops-program.ts,
// src/ops-program.h) on a device image — or host pixels, uploaded first — with the ops-*.cu kernels, as a
// worker (worker.h) on one of the engine's streams, and resolves with a new device image (CudaImageHandle).
#pragma once

#include <napi.h>

namespace jpegkit {

// Adds `runOps` to the addon's exports.
void RegisterOps(Napi::Env env, Napi::Object exports);

}  // namespace jpegkit
