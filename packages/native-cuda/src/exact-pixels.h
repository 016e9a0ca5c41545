// From quantised coefficients on the device to pixels in the requested layout, with the exact kernels
// (kernels/exact.h): islow IDCT into padded component planes, fancy upsampling + YCbCr → RGB into planar scratch,
// then the remap (layout, EXIF orientation). Shared by exact mode's CPU-read images (exact.cc) and our GPU
// Huffman decoder's (kernel-decode.cc).
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "device-pool.h"
#include "errors.h"
#include "pixel-format.h"

namespace jpegkit {

struct ExactComponentGrid {
  int h = 1, v = 1;
  int blocksPerRow = 0, blockRows = 0;  // whole MCUs
};

struct ExactFrameGrid {
  int width = 0, height = 0, maxH = 1, maxV = 1;
  int components = 0;  // 1 (gray) or 3 (YCbCr)
  ExactComponentGrid component[3];
};

// Planes the output needs: 1 (a gray JPEG, or gray output: djpeg -grayscale reads the luma alone) or 3.
inline int ExactOutPlanes(int components, PixelFormat format) {
  return components == 1 || format == PixelFormat::kGray ? 1 : 3;
}

// Where the IDCT writes each component's plane within one block (offsets and row pitches); returns its size.
size_t LayoutExactPlanes(const ExactFrameGrid& grid, size_t offset[3], size_t pitch[3]);

// Bytes of the planar scratch the colour kernel writes.
inline size_t ExactScratchBytes(const ExactFrameGrid& grid, PixelFormat format) {
  return DevicePitch(static_cast<size_t>(grid.width)) * static_cast<size_t>(grid.height) *
         static_cast<size_t>(ExactOutPlanes(grid.components, format));
}

// Queues the IDCT (component c's blocks at coefficients[c], its table at quant + 64 c) into `planes` (laid out by
// LayoutExactPlanes), upsampling + colour into `scratch` (ExactScratchBytes) and the remap into `out` (rows of
// `outPitch`, `outHeight` rows as stored after orientation) on `stream`. E_UNSUPPORTED for sampling ratios libjpeg
// refuses too.
Failure LaunchExactPixels(const ExactFrameGrid& grid, const int16_t* const* coefficients, const int16_t* quant,
                          uint8_t* planes, uint8_t* scratch, PixelFormat format,
                          int orientation, uint8_t* out, size_t outPitch, int outHeight, cudaStream_t stream);

}  // namespace jpegkit
