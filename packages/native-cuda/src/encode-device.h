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
  bool nvjpeg = false;  // encoder 'nvjpeg': nvJPEG even where our kernels would take it (kernel-encode.h)
};

// Reads { quality?, subsampling?, optimize?, progressive?, encoder?: 'kernels' | 'nvjpeg' } on the JS thread; throws a TypeError and returns false
// when a value is wrong.
bool ReadEncodeSettings(Napi::Env env, const Napi::Object& options, EncodeSettings* settings);

// Device pixels to encode: `width`×`height` of `format` at `data`, rows `pitch` apart.
struct EncodeSource {
  uint8_t* data;
  size_t pitch;
  int width, height;
  PixelFormat format;
};

// Sets quality, Huffman optimisation and encoding on the slot's parameters.
Failure ApplyEncodeSettings(Engine* engine, EncodeSlot& slot, const EncodeSettings& settings, cudaStream_t stream);
// Queues the encode of `source` with nvJPEG state `state` on `stream` (after ApplyEncodeSettings; a temporary block,
// if needed, is left in `scratch`: keep it until the stream has finished).
Failure EnqueueEncode(Engine* engine, EncodeSlot& slot, nvjpegEncoderState_t state, cudaStream_t stream,
                      const EncodeSource& source, const EncodeSettings& settings,
                      std::shared_ptr<DeviceAllocation>* scratch);
// Waits for `state`'s bitstream on `stream` and copies it into `output` (through the slot's pinned staging: the
// slot's host inputs must have been uploaded by then).
Failure RetrieveEncoded(Engine* engine, EncodeSlot& slot, nvjpegEncoderState_t state, cudaStream_t stream,
                        std::vector<uint8_t>* output);

// A batch on one stream: every image queued with its own encoder state (Engine::EncoderState), one wait, then
// every bitstream retrieved. An image whose entry in `failures` is already a failure (its upload or op program
// failed; its source is then unused) is skipped; the others get their outcome there and their bytes in
// `outputs`. Keep `scratch` until this returns (the stream has finished by then).
void EncodeDeviceBatch(Engine* engine, EncodeSlot& slot, cudaStream_t stream, const std::vector<EncodeSource>& sources,
                       const EncodeSettings& settings, std::vector<std::shared_ptr<DeviceAllocation>>* scratch,
                       std::vector<std::vector<uint8_t>>* outputs, std::vector<Failure>* failures);

// An encode's result for JS: the bytes as a new Uint8Array, or the failure as an Error (batches: in place).
Napi::Uint8Array BytesToJs(Napi::Env env, const std::vector<uint8_t>& bytes);
Napi::Value BytesOrError(Napi::Env env, const Failure& failure, const std::vector<uint8_t>& bytes);

// Encodes `source` with the slot's nvJPEG state, on `stream`, into `output`. A temporary block, if one is
// needed, is left in `scratch`: keep it until `stream` has finished (it has when this returns successfully).
Failure EncodeDevicePixels(Engine* engine, EncodeSlot& slot, cudaStream_t stream, const EncodeSource& source,
                           const EncodeSettings& settings, std::shared_ptr<DeviceAllocation>* scratch,
                           std::vector<uint8_t>* output);

}  // namespace jpegkit
