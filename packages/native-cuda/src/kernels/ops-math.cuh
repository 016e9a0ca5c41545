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

// --- resize ----------------------------------------------------------------------------------------------------

// Step 2 of core's resizeImage for one sample: decoded to float (through the sRGB table when linear, alpha never),
// premultiplied by alpha / 255 for rgba/bgra — exactly the value core's Float32Array `row` holds.
JK_HD float ResizeDecoded(const ResizeParams& p, int x, int y, int c) {
  const uint8_t v = *At(p.src, c, x, y);
  float f = p.linear && c != p.src.alpha ? p.srgbToLinear[v] : static_cast<float>(v);
  if (p.src.alpha >= 0 && c != p.src.alpha) {
    const double a = static_cast<double>(*At(p.src, p.src.alpha, x, y)) / 255;
    f = static_cast<float>(static_cast<double>(f) * a);
  }
  return f;
}

// Step 3: resampled column dx of source row y, every channel, into mid (float32, as core's `mid`).
JK_HD void ResizeHorizontal(const ResizeParams& p, int dx, int y) {
  const int channels = p.src.channels;
  const int start = p.hStart[dx], count = p.hCount[dx];
  const float* w = p.hWeights + static_cast<int64_t>(dx) * p.hTaps;
  float* out = p.mid + (static_cast<int64_t>(y) * p.resizeWidth + dx) * channels;
  for (int c = 0; c < channels; ++c) {
    double sum = 0;
    for (int k = 0; k < count; ++k) sum += static_cast<double>(w[k]) * ResizeDecoded(p, start + k, y, c);
    out[c] = static_cast<float>(sum);
  }
}

// Steps 4–6 plus fit's window: output pixel (x, y) of dst — the background outside the resampled image, else the
// vertical sum down mid, un-premultiplied, re-encoded when linear, rounded. With `copy`, the source pixel itself.
JK_HD void ResizeVertical(const ResizeParams& p, int x, int y) {
  const int channels = p.dst.channels;
  const int rx = x + p.offsetX, ry = y + p.offsetY;
  if (rx < 0 || ry < 0 || rx >= p.resizeWidth || ry >= p.resizeHeight) {
    for (int c = 0; c < channels; ++c) *At(p.dst, c, x, y) = p.background[c];
    return;
  }
  if (p.copy) {
    for (int c = 0; c < channels; ++c) *At(p.dst, c, x, y) = *At(p.src, c, rx, ry);
    return;
  }
  const int start = p.vStart[ry], count = p.vCount[ry];
  const float* w = p.vWeights + static_cast<int64_t>(ry) * p.vTaps;
  double px[4] = {0, 0, 0, 0};
  for (int c = 0; c < channels; ++c) {
    double sum = 0;
    for (int k = 0; k < count; ++k) {
      sum += static_cast<double>(w[k]) *
             static_cast<double>(p.mid[(static_cast<int64_t>(start + k) * p.resizeWidth + rx) * channels + c]);
    }
    px[c] = sum;
  }
  const int alpha = p.dst.alpha;
  if (alpha >= 0) {
    const double a = fmin(fmax(px[alpha], 0.0), 255.0);
    for (int c = 0; c < channels; ++c) {
      if (c != alpha) px[c] = a < 0.5 ? 0.0 : (px[c] * 255) / a;
    }
  }
  for (int c = 0; c < channels; ++c) {
    const double v = p.linear && c != alpha ? LinearToSrgb(px[c]) : px[c];
    *At(p.dst, c, x, y) = RoundToByte(v);
  }
}

// --- sharpen ---------------------------------------------------------------------------------------------------

// Horizontal Gaussian of pixel (x, y), every colour channel, into mid (float32, edges replicated).
JK_HD void SharpenHorizontal(const SharpenParams& p, int x, int y) {
  const int width = p.src.width, height = p.src.height, r = p.radius;
  for (int c = 0; c < p.src.channels; ++c) {
    if (c == p.src.alpha) continue;
    double sum = 0;
    for (int k = -r; k <= r; ++k) {
      sum += static_cast<double>(p.weights[k + r]) * static_cast<double>(*At(p.src, c, Clamp(x + k, 0, width - 1), y));
    }
    p.mid[(static_cast<int64_t>(c) * height + y) * width + x] = static_cast<float>(sum);
  }
}

// Vertical Gaussian down mid, then v + amount · (v − blur) where |v − blur| > threshold; alpha copied.
JK_HD void SharpenVertical(const SharpenParams& p, int x, int y) {
  const int width = p.src.width, height = p.src.height, r = p.radius;
  for (int c = 0; c < p.src.channels; ++c) {
    const uint8_t sample = *At(p.src, c, x, y);
    if (c == p.src.alpha) {
      *At(p.dst, c, x, y) = sample;
      continue;
    }
    const float* plane = p.mid + static_cast<int64_t>(c) * height * width;
    double blur = 0;
    for (int k = -r; k <= r; ++k) {
      blur += static_cast<double>(p.weights[k + r]) *
              static_cast<double>(plane[static_cast<int64_t>(Clamp(y + k, 0, height - 1)) * width + x]);
    }
    const double v = sample;
    const double diff = v - blur;
    *At(p.dst, c, x, y) = RoundToByte(fabs(diff) > p.threshold ? v + p.amount * diff : v);
  }
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
