// Per-environment state of the addon (one per Node worker thread that loads it): the JS classes' constructors.
#pragma once

#include <napi.h>

namespace jpegkit {

struct AddonData {
  Napi::FunctionReference engineClass;
  Napi::FunctionReference imageClass;
};

inline AddonData* GetAddonData(Napi::Env env) { return env.GetInstanceData<AddonData>(); }

}  // namespace jpegkit
