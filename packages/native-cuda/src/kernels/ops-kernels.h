// Host-side launchers of the pixel-op kernels (ops-*.cu). Plain C++ so ops.cc compiles with g++. Each launches one
// thread per output pixel (resize and sharpen: a horizontal then a vertical pass) on `stream`; the parameters'
// pointers must be device memory that stays alive until the stream has run them.
#pragma once

#include <cuda_runtime_api.h>

#include "ops-params.h"

namespace jpegkit {

cudaError_t LaunchOpsResize(const ResizeParams& params, cudaStream_t stream);
cudaError_t LaunchOpsSharpen(const SharpenParams& params, cudaStream_t stream);
cudaError_t LaunchOpsRemap(const RemapParams& params, cudaStream_t stream);
cudaError_t LaunchOpsAdjust(const AdjustParams& params, cudaStream_t stream);
cudaError_t LaunchOpsConvert(const ConvertParams& params, cudaStream_t stream);

}  // namespace jpegkit
