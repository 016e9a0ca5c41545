// From quantised coefficients on the device to pixels in the requested layout, with the exact kernels
// (kernels/exact.h): islow IDCT into padded component planes, then fancy upsampling + YCbCr → RGB written
// straight into the result's format and EXIF orientation — two launches for any number of images. Shared by
// exact mode's CPU-read images (exact.cc) and our GPU Huffman decoder's (kernel-decode.cc).
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "device-pool.h"
#include "errors.h"
#include "kernels/exact.h"
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

// Whether libjpeg upsamples this frame (false with the reason for the fractional ratios it refuses).
bool ExactGridSupported(const ExactFrameGrid& grid, std::string* reason);

// The launch tables of the exact kernels for a set of images (one IDCT launch and one image launch serve them
// all): built on the host, copied to the device with the call's other inputs, then launched.
class ExactPixelsPlan {
 public:
  // Adds an image: component c's blocks at coefficients[c] (device), its table at quant + 64 c (device), the
  // planes at `planes` (device, LayoutExactPlanes), the result at `out` (rows of `outPitch`, `outHeight` rows as
  // stored after orientation). E_UNSUPPORTED for sampling ratios libjpeg refuses too.
  Failure Add(const ExactFrameGrid& grid, const int16_t* const* coefficients, const int16_t* quant, uint8_t* planes,
              PixelFormat format, int orientation, uint8_t* out, size_t outPitch, int outHeight);
  // Bytes of the tables for up to `images` images (known before adding them, for the caller's layout).
  static size_t BytesFor(size_t images);
  // Writes the tables at `host`, which the caller copies to `device` before launching.
  void Write(uint8_t* host) const;
  // Queues both kernels on `stream`, the tables at `device` (or each on its own: the IDCT first).
  Failure Launch(const uint8_t* device, cudaStream_t stream) const;
  Failure LaunchIdct(const uint8_t* device, cudaStream_t stream) const;
  Failure LaunchImages(const uint8_t* device, cudaStream_t stream) const;

 private:
  std::vector<ExactIdctEntry> idct_;
  std::vector<ExactImageJob> images_;
  int64_t blocks_ = 0;
  int maxWidth_ = 0, maxHeight_ = 0;
};

}  // namespace jpegkit
