// Per-environment state of the addon (one per Node worker thread that loads it): the JS classes' constructors and
// the completion handle of the calls' workers.
#pragma once

#include <napi.h>

namespace jpegkit {

class Completions;

struct AddonData {
  Napi::FunctionReference engineClass;
  Napi::FunctionReference imageClass;
  Completions* completions = nullptr;  // worker.h: how finished calls get back to this JS thread
};

inline AddonData* GetAddonData(Napi::Env env) { return env.GetInstanceData<AddonData>(); }

}  // namespace jpegkit
