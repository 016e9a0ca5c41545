// Fused pipelines on the device: runPipelineBatch(engine, list, specs, programs, encode) decodes a list of JPEGs
// (decode-batch.h: our kernels or the hardware engines), runs each image's op program (ops-program.h) and encodes
// it (encode-device.h: our encoder or nvJPEG's) in one worker (worker.h) on one stream — only compressed bytes cross
// PCIe and nothing returns to JS between the stages. Failures take their image's place.
#pragma once

#include <napi.h>

namespace jpegkit {

// Adds `runPipelineBatch` to the addon's exports.
void RegisterPipeline(Napi::Env env, Napi::Object exports);

}  // namespace jpegkit
