// Baseline JPEG encoding with our own kernels (kernels/encode.cu): the bytes of libjpeg-turbo's
// `cjpeg -dct int` at the same quality and sampling, for device images of any pixel format. Used by
// engine.encode, encodeBatch and fused pipelines when the settings are ours to take (see KernelsEncode);
// nvJPEG writes the rest (optimised Huffman tables, progressive, 4:4:0, 4:1:1).
#pragma once

#include <cstdint>
#include <vector>

#include "encode-device.h"
#include "engine.h"
#include "errors.h"

namespace jpegkit {

// Whether our kernels write JPEGs with these settings.
bool KernelsEncode(const EncodeSettings& settings);

// Encodes every source whose entry in `failures` is ok, on `stream` (waits for it): the JPEG in `outputs`, or
// the failure in place. Staging goes through the slot's kernelStaging (pinned); device memory comes from the engine's
// pool and is back there when this returns.
void EncodeBatchWithKernels(Engine* engine, EncodeSlot& slot, cudaStream_t stream,
                            const std::vector<EncodeSource>& sources, const EncodeSettings& settings,
                            std::vector<std::vector<uint8_t>>* outputs, std::vector<Failure>* failures);

}  // namespace jpegkit
