// engine.encode: nvJPEG encodes a host image or a device image to JPEG bytes on a worker thread.
#pragma once

#include <napi.h>

#include <memory>

namespace jpegkit {

class Engine;

// encode(input: { data, width, height, stride, format } | { image: CudaImageHandle },
//        options: { quality, subsampling, optimize, progressive }): Promise<Uint8Array>
Napi::Value StartEncode(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine);
// encodeBatch(inputs: (the same)[], options): Promise<(Uint8Array | Error)[]> — on one encode slot, an encoder
// state per image and one wait for all (EncodeDeviceBatch); errors in place.
Napi::Value StartEncodeBatch(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine);

}  // namespace jpegkit
