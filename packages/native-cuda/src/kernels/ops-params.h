// Parameters of the pixel-op kernels (core's reference ops, src/kernels/ops-*.cu): plain structs, passed by value
// to the kernels and to the host loops of the CPU harness alike. Plain C++ (no CUDA syntax): ops.cc, compiled by
// g++, fills them in. Every table (resize contributions, Gaussian weights, the adjust table, the sRGB curve) is
// computed in TypeScript with core's own functions and passed down, so the weights are core's bit for bit.
#pragma once

#include <cstdint>

namespace jpegkit {

// An 8-bit image: channel c of pixel (x, y) is at base + offset[c] + y * rowPitch + x * step (interleaved and
// planar alike, as kernels.h's ChannelLayout), with its size and which channel is alpha.
struct OpsImage {
  uint8_t* base;
  int64_t offset[4];
  int64_t rowPitch;
  int32_t step;
  int32_t channels;
  int32_t width, height;
  int32_t alpha;  // channel index of alpha (rgba/bgra: 3), or -1
};

// Resize (core's resize.ts + fit.ts): src resampled to resizeWidth×resizeHeight, shown through dst's window:
// output (x, y) shows resampled (x + offsetX, y + offsetY) — offset = crop − pad — and the background outside.
struct ResizeParams {
  OpsImage src, dst;
  float* mid;  // horizontal pass: src.height × resizeWidth × channels, interleaved (core's Float32Array `mid`)
  const int32_t* hStart;
  const int32_t* hCount;
  const double* hWeights;  // hTaps × resizeWidth, tap-major (float32 values)
  const int32_t* vStart;
  const int32_t* vCount;
  const double* vWeights;  // vTaps × resizeHeight, tap-major (float32 values)
  int32_t hTaps, vTaps;
  int32_t resizeWidth, resizeHeight;
  int32_t offsetX, offsetY;
  int32_t linear;  // filter in linear light (srgbToLinear in, the sRGB curve out)
  int32_t copy;    // the resampled size is the source size: no resampling at all (core copies the pixels)
  // The one-kernel path (ops-tiles.cuh), when tileRows > 0: each output column tile's source columns and each row
  // tile's source rows as (first, count) pairs — column tiles first — and the largest counts.
  const int32_t* tileSpans;
  int32_t tileCols, tileRows;
  uint8_t background[4];  // in the format's channel order (core's backgroundSamples)
  float srgbToLinear[256];  // core's SRGB_TO_LINEAR_TABLE as float32 (what its Float32Array row holds)
};

// Unsharp mask (core's sharpen.ts).
struct SharpenParams {
  OpsImage src, dst;
  float* mid;              // channels × height × width: the horizontal blur of each channel plane
  const double* weights;   // 2 · radius + 1 (core's gaussianWeights, float32 values)
  int32_t radius;
  double amount, threshold;
};

// Pure copies: mode 0 = crop with top-left (x, y); 1–8 = the EXIF orientation transform of core's orient.ts
// (rotate 90/180/270 = 6/3/8, flip = 4, flop = 2).
struct RemapParams {
  OpsImage src, dst;
  int32_t mode;
  int32_t x, y;
};

// Brightness/contrast through core's adjustTable; alpha copied.
struct AdjustParams {
  OpsImage src, dst;
  uint8_t table[256];
};

// Format conversion (core's convert.ts): dst channel c is kind[c] = 0: src channel from[c]; 1: libjpeg's luma of
// src channels rgb[0..2]; 2: 255 (an added alpha).
struct ConvertParams {
  OpsImage src, dst;
  int32_t kind[4];
  int32_t from[4];
  int32_t rgb[3];
};

}  // namespace jpegkit
