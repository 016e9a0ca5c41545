// engine.decode / engine.decodeBatch: nvJPEG decodes on a worker thread, to host memory or a device image.
#pragma once

#include <napi.h>

#include <memory>

namespace jpegkit {

class Engine;

// decode(bytes: Uint8Array, spec: DecodeSpec): Promise<DecodeOutcome>
Napi::Value StartDecode(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine);
// decodeBatch(list: Uint8Array[], specs: DecodeSpec[]): Promise<(DecodeOutcome | Error)[]>, failures in place.
Napi::Value StartDecodeBatch(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine);

}  // namespace jpegkit
