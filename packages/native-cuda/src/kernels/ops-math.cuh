// The per-pixel arithmetic of the pixel-op kernels, as __host__ __device__ functions: each kernel in ops-*.cu is a
// bounds check around one of these, and the CPU harness (ops-host-test.cu) calls the very same functions in plain
// loops, so what is proven on the CPU is what runs on the GPU. The arithmetic order follows core's reference ops
// (and the wasm port, which matches them bit-exactly): float32 where core stores into a Float32Array (the decoded
// row, the horizontal pass), double everywhere else (core's JS numbers), half-up rounding last.
#pragma once

#include <cmath>
#include <cstdint>

#include "ops-params.h"

#if defined(__CUDACC__)
#define JK_HD __host__ __device__ __forceinline__
#else
#define JK_HD inline
#endif

namespace jpegkit {
namespace opsmath {

JK_HD uint8_t* At(const OpsImage& image, int c, int x, int y) {
  return image.base + image.offset[c] + static_cast<int64_t>(y) * image.rowPitch +
         static_cast<int64_t>(x) * image.step;
}

JK_HD int Clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

// core's roundToByte: half up, clamped to 0–255, NaN → 0.
JK_HD uint8_t RoundToByte(double x) {
  if (!(x > 0)) return 0;
  if (x >= 254.5) return 255;
  return static_cast<uint8_t>(floor(x + 0.5));
}

// core's linearToSrgb: linear light (0–255 units) to sRGB-encoded 0–255, clamped first, not rounded.
JK_HD double LinearToSrgb(double v) {
  const double l = v <= 0 ? 0.0 : v >= 255 ? 1.0 : v / 255;
  const double s = l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1 / 2.4) - 0.055;
  return s * 255;
}

// libjpeg's fixed-point luma (core's rgbToGray).
JK_HD uint8_t RgbToGray(int r, int g, int b) {
  return static_cast<uint8_t>((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);
}

// A byte as a double, exactly: on the GPU one FP64 add (2^52 + v built from its bits, less 2^52) where the
// conversion instruction issues at a quarter of the FP64 rate — the filters' inner loops are bound by these.
JK_HD double ByteToDouble(uint32_t v) {
#if defined(__CUDA_ARCH__)
  return __hiloint2double(0x43300000, static_cast<int>(v)) - 4503599627370496.0;
#else
  return static_cast<double>(v);
#endif
}

// At most four channels: per-channel sums live in registers (unrolled to four, guarded by the real count).
constexpr int kMaxChannels = 4;

// A pixel's channels packed in one word (channel c in byte c): one address computation, the channels' offsets in
// registers (the loop unrolls to constant indices).
//
// kC > 0 (here and below): the image's channel count, known when compiled (the tiled kernels are instantiated per
// count: their loops then unroll exactly, which made them a third faster on an H200); 0: read at run time.
template <int kC = 0>
JK_HD uint32_t PackedPixel(const OpsImage& image, int x, int y) {
  const uint8_t* px = image.base + static_cast<int64_t>(y) * image.rowPitch + static_cast<int64_t>(x) * image.step;
  const int channels = kC > 0 ? kC : image.channels;
  uint32_t v = 0;
  for (int c = 0; c < kMaxChannels; ++c) {
    if (c < channels) v |= static_cast<uint32_t>(px[image.offset[c]]) << (8 * c);
  }
  return v;
}

// --- resize ----------------------------------------------------------------------------------------------------
//
// A thread per pixel, every channel's sum in a register, each tap's weight and pixel address computed once for
// all channels (H200, 1080p → 960×540 lanczos3: the horizontal pass 39 → 33 µs; what is left is bound by the
// load instructions' issue — ncu: memory pipes 83% busy — a thread per channel or unrolled tap loops were no
// faster). Weight tables are tap-major (weights[k · size + d]: a warp's neighbouring dx read neighbouring
// entries). Each channel's sum runs over the taps in core's order; a float32 weight times a sample (a byte, or a
// float32) is exact in a double, so the fused multiply-add the GPU uses rounds as core's multiply then add does.

// Step 2 of core's resizeImage for one sample: decoded to float (through the sRGB table when linear, alpha never),
// premultiplied by alpha / 255 for rgba/bgra — exactly the value core's Float32Array `row` holds. `px` is the
// pixel's first byte (channel c at px + offset[c]).
JK_HD float ResizeDecoded(const ResizeParams& p, const uint8_t* px, int c) {
  const uint8_t v = px[p.src.offset[c]];
  float f = p.linear && c != p.src.alpha ? p.srgbToLinear[v] : static_cast<float>(v);
  if (p.src.alpha >= 0 && c != p.src.alpha) {
    const double a = static_cast<double>(px[p.src.offset[p.src.alpha]]) / 255;
    f = static_cast<float>(static_cast<double>(f) * a);
  }
  return f;
}

// Step 3: resampled column dx of source row y, every channel, into mid (float32, interleaved, as core's `mid`).
JK_HD void ResizeHorizontal(const ResizeParams& p, int dx, int y) {
  const int channels = p.src.channels;
  const int start = p.hStart[dx], count = p.hCount[dx];
  const double* w = p.hWeights + dx;
  const int64_t wStride = p.resizeWidth;
  const uint8_t* row = p.src.base + static_cast<int64_t>(y) * p.src.rowPitch + static_cast<int64_t>(start) * p.src.step;
  double sum[kMaxChannels] = {0, 0, 0, 0};
  // Two loops, not one with the choice inside: nvcc keeps the choice in the loop (H200, 1080p → 960×540: one
  // loop 45 µs, two 34).
  if (!p.linear && p.src.alpha < 0) {
    // The common case: the decoded sample is the byte itself.
    for (int k = 0; k < count; ++k) {
      const double wk = w[k * wStride];
      const uint8_t* px = row + k * p.src.step;
      for (int c = 0; c < kMaxChannels; ++c) {
        if (c < channels) sum[c] += wk * ByteToDouble(px[p.src.offset[c]]);
      }
    }
  } else {
    for (int k = 0; k < count; ++k) {
      const double wk = w[k * wStride];
      const uint8_t* px = row + k * p.src.step;
      for (int c = 0; c < kMaxChannels; ++c) {
        if (c < channels) sum[c] += wk * static_cast<double>(ResizeDecoded(p, px, c));
      }
    }
  }
  float* out = p.mid + (static_cast<int64_t>(y) * p.resizeWidth + dx) * channels;
  for (int c = 0; c < kMaxChannels; ++c) {
    if (c < channels) out[c] = static_cast<float>(sum[c]);
  }
}

// Every channel's sum, in registers.
struct Sums {
  double v[kMaxChannels];
};

// Fit's window for output pixel (x, y): the background outside the resampled image, or with `copy` the source
// pixel itself. True when that wrote the pixel.
template <int kC = 0>
JK_HD bool ResizeOutside(const ResizeParams& p, int x, int y) {
  const int channels = kC > 0 ? kC : p.dst.channels;
  const int rx = x + p.offsetX, ry = y + p.offsetY;
  if (rx < 0 || ry < 0 || rx >= p.resizeWidth || ry >= p.resizeHeight) {
    for (int c = 0; c < kMaxChannels; ++c) {
      if (c < channels) *At(p.dst, c, x, y) = p.background[c];
    }
    return true;
  }
  if (p.copy) {
    for (int c = 0; c < kMaxChannels; ++c) {
      if (c < channels) *At(p.dst, c, x, y) = *At(p.src, c, rx, ry);
    }
    return true;
  }
  return false;
}

// Step 4: the vertical sum for resampled row ry down a column of the intermediate whose rows are `stride` floats
// apart, `column` at row vStart[ry] (channel c at column[c]).
template <int kC = 0>
JK_HD Sums ResizeColumnSum(const ResizeParams& p, int ry, const float* column, int64_t stride) {
  const int channels = kC > 0 ? kC : p.dst.channels;
  const int count = p.vCount[ry];
  const double* w = p.vWeights + ry;
  const int64_t wStride = p.resizeHeight;
  Sums px = {{0, 0, 0, 0}};
  for (int k = 0; k < count; ++k) {
    const double wk = w[k * wStride];
    const float* m = column + k * stride;
    for (int c = 0; c < kMaxChannels; ++c) {
      if (c < channels) px.v[c] += wk * static_cast<double>(m[c]);
    }
  }
  return px;
}

// Steps 5–6: un-premultiplied, re-encoded when linear, rounded into output pixel (x, y).
template <int kC = 0>
JK_HD void ResizeFinish(const ResizeParams& p, int x, int y, Sums px) {
  const int channels = kC > 0 ? kC : p.dst.channels;
  const int alpha = p.dst.alpha;
  // Loops over kMaxChannels with the count as a guard keep px in registers (an index known only at run time
  // would put it in local memory).
  if (alpha >= 0) {
    double a = 0;
    for (int c = 0; c < kMaxChannels; ++c) {
      if (c == alpha) a = fmin(fmax(px.v[c], 0.0), 255.0);
    }
    for (int c = 0; c < kMaxChannels; ++c) {
      if (c < channels && c != alpha) px.v[c] = a < 0.5 ? 0.0 : (px.v[c] * 255) / a;
    }
  }
  for (int c = 0; c < kMaxChannels; ++c) {
    if (c >= channels) break;
    const double v = p.linear && c != alpha ? LinearToSrgb(px.v[c]) : px.v[c];
    *At(p.dst, c, x, y) = RoundToByte(v);
  }
}

// Steps 4–6 plus fit's window: output pixel (x, y) of dst.
JK_HD void ResizeVertical(const ResizeParams& p, int x, int y) {
  if (ResizeOutside(p, x, y)) return;
  const int channels = p.dst.channels;
  const int rx = x + p.offsetX, ry = y + p.offsetY;
  const int64_t stride = static_cast<int64_t>(p.resizeWidth) * channels;
  const float* column = p.mid + static_cast<int64_t>(p.vStart[ry]) * stride + static_cast<int64_t>(rx) * channels;
  ResizeFinish(p, x, y, ResizeColumnSum(p, ry, column, stride));
}

// --- sharpen ---------------------------------------------------------------------------------------------------

// Horizontal Gaussian of pixel (x, y), every colour channel, into mid (float32 planes, edges replicated).
JK_HD void SharpenHorizontal(const SharpenParams& p, int x, int y) {
  const int width = p.src.width, height = p.src.height, r = p.radius, channels = p.src.channels;
  const uint8_t* row = p.src.base + static_cast<int64_t>(y) * p.src.rowPitch;
  double sum[kMaxChannels] = {0, 0, 0, 0};
  for (int k = -r; k <= r; ++k) {
    const double wk = p.weights[k + r];
    const uint8_t* px = row + static_cast<int64_t>(Clamp(x + k, 0, width - 1)) * p.src.step;
    for (int c = 0; c < kMaxChannels; ++c) {
      if (c < channels && c != p.src.alpha) sum[c] += wk * ByteToDouble(px[p.src.offset[c]]);
    }
  }
  for (int c = 0; c < kMaxChannels; ++c) {
    if (c < channels && c != p.src.alpha) {
      p.mid[(static_cast<int64_t>(c) * height + y) * width + x] = static_cast<float>(sum[c]);
    }
  }
}

// The unsharp step for pixel (x, y) from its blur: v + amount · (v − blur) where |v − blur| > threshold; alpha
// copied. `pixel`: the source pixel's channels packed in one word (channel c in byte c).
template <int kC = 0>
JK_HD void SharpenFinish(const SharpenParams& p, int x, int y, uint32_t pixel, const double blur[kMaxChannels]) {
  const int channels = kC > 0 ? kC : p.src.channels;
  for (int c = 0; c < kMaxChannels; ++c) {
    if (c >= channels) break;
    const uint8_t sample = static_cast<uint8_t>(pixel >> (8 * c));
    if (c == p.src.alpha) {
      *At(p.dst, c, x, y) = sample;
      continue;
    }
    const double v = sample;
    const double diff = v - blur[c];
    *At(p.dst, c, x, y) = RoundToByte(fabs(diff) > p.threshold ? v + p.amount * diff : v);
  }
}

// Vertical Gaussian down mid, then v + amount · (v − blur) where |v − blur| > threshold; alpha copied.
JK_HD void SharpenVertical(const SharpenParams& p, int x, int y) {
  const int width = p.src.width, height = p.src.height, r = p.radius, channels = p.src.channels;
  const int64_t plane = static_cast<int64_t>(height) * width;
  double blur[kMaxChannels] = {0, 0, 0, 0};
  for (int k = -r; k <= r; ++k) {
    const double wk = p.weights[k + r];
    const float* m = p.mid + static_cast<int64_t>(Clamp(y + k, 0, height - 1)) * width + x;
    for (int c = 0; c < kMaxChannels; ++c) {
      if (c < channels && c != p.src.alpha) blur[c] += wk * static_cast<double>(m[c * plane]);
    }
  }
  SharpenFinish(p, x, y, PackedPixel(p.src, x, y), blur);
}

// --- crop, rotate, flip, flop, orient --------------------------------------------------------------------------

// The source pixel that output (x, y) copies (core's crop.ts, and orient.ts's table for modes 1–8).
JK_HD void RemapSource(const RemapParams& p, int x, int y, int* sx, int* sy) {
  const int lastX = p.src.width - 1, lastY = p.src.height - 1;
  switch (p.mode) {
    case 0: *sx = x + p.x; *sy = y + p.y; break;            // crop
    case 2: *sx = lastX - x; *sy = y; break;                // flop
    case 3: *sx = lastX - x; *sy = lastY - y; break;        // rotate 180
    case 4: *sx = x; *sy = lastY - y; break;                // flip
    case 5: *sx = y; *sy = x; break;                        // transpose
    case 6: *sx = y; *sy = lastY - x; break;                // rotate 90 clockwise
    case 7: *sx = lastX - y; *sy = lastY - x; break;        // transverse
    case 8: *sx = lastX - y; *sy = x; break;                // rotate 270 clockwise
    default: *sx = x; *sy = y; break;                       // 1: a copy
  }
}

JK_HD void RemapPixel(const RemapParams& p, int x, int y) {
  int sx = 0, sy = 0;
  RemapSource(p, x, y, &sx, &sy);
  for (int c = 0; c < p.dst.channels; ++c) *At(p.dst, c, x, y) = *At(p.src, c, sx, sy);
}

// --- adjust, convert -------------------------------------------------------------------------------------------

JK_HD void AdjustPixel(const AdjustParams& p, int x, int y) {
  for (int c = 0; c < p.dst.channels; ++c) {
    const uint8_t v = *At(p.src, c, x, y);
    *At(p.dst, c, x, y) = c == p.src.alpha ? v : p.table[v];
  }
}

JK_HD void ConvertPixel(const ConvertParams& p, int x, int y) {
  for (int c = 0; c < p.dst.channels; ++c) {
    uint8_t v = 255;
    if (p.kind[c] == 0) {
      v = *At(p.src, p.from[c], x, y);
    } else if (p.kind[c] == 1) {
      v = RgbToGray(*At(p.src, p.rgb[0], x, y), *At(p.src, p.rgb[1], x, y), *At(p.src, p.rgb[2], x, y));
    }
    *At(p.dst, c, x, y) = v;
  }
}

}  // namespace opsmath
}  // namespace jpegkit
