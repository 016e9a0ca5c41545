// nvJPEG encoding of pixels already on the device, shared by engine.encode (encode.cc) and fused pipelines
// (pipeline.cc). rgba/bgra lose alpha in a remap kernel (nvJPEG takes 3 channels); gray JPEGs are encoded from a
// Y plane (the image itself, or libjpeg's luma of a colour image).
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "device-pool.h"
#include "engine.h"
#include "errors.h"
#include "nvjpeg-api.h"
#include "pixel-format.h"

namespace jpegkit {

struct EncodeSettings {
  int quality = 90;
  nvjpegChromaSubsampling_t subsampling = NVJPEG_CSS_420;
  bool optimize = false, progressive = false;
};

// Reads { quality?, subsampling?, optimize?, progressive? } on the JS thread; throws a TypeError and returns false
// when a value is wrong.
bool ReadEncodeSettings(Napi::Env env, const Napi::Object& options, EncodeSettings* settings);

// Encodes `width`×`height` pixels of `format` at `source` (device memory, rows `pitch` apart) with the slot's
// nvJPEG state, on `stream`, into `output`. A temporary block, if one is needed, is left in `scratch`: keep it
// until `stream` has finished (it has when this returns successfully).
Failure EncodeDevicePixels(Engine* engine, EncodeSlot& slot, cudaStream_t stream, uint8_t* source, size_t pitch,
                           int width, int height, PixelFormat format, const EncodeSettings& settings,
                           std::shared_ptr<DeviceAllocation>* scratch, std::vector<uint8_t>* output);

}  // namespace jpegkit
