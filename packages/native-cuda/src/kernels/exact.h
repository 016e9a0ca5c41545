// The `exact` decode mode's data and host-side launchers (plain C++, so src/exact.cc compiles with g++; the
// arithmetic is in exact-math.cuh, the kernels in exact-idct.cu and exact-color.cu).
//
// Coefficients come entropy-decoded from the CPU (@jpegkit/wasm's readCoefficients: libjpeg-turbo), one
// int16 plane per component in whole MCUs; the GPU dequantises and runs libjpeg's islow IDCT into padded
// 8-bit component planes, then upsamples (jdsample.c, fancy) and converts (jdcolor.c) one output pixel per
// thread into planar RGB or Y.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

namespace jpegkit {

// How a component plane becomes full size (jdsample.c's methods; the box h2v1/h2v2_upsample are kInteger).
enum ExactUpsample : int32_t {
  kUpsampleInteger = 0,  // fullsize (1×1 expansion), int_upsample, h2v1_upsample, h2v2_upsample
  kUpsampleH2V1Fancy = 1,
  kUpsampleH1V2Fancy = 2,
  kUpsampleH2V2Fancy = 3,
};

// One component's decoded samples as the upsampler reads them.
struct ExactPlane {
  const uint8_t* data;  // padded plane: blocksPerRow × 8 by blockRows × 8 samples
  int64_t pitch;
  int32_t widthIn, heightIn;  // libjpeg's downsampled_width / downsampled_height: ceil(size · h / maxH)
  int32_t method;             // ExactUpsample
  int32_t hExpand, vExpand;   // kUpsampleInteger's factors (maxH / h, maxV / v)
};

struct ExactFrame {
  ExactPlane planes[3];
  int32_t width, height;  // output (image) size
  int32_t outPlanes;      // 3: RGB from YCbCr (components 0, 1, 2); 1: component 0 as is (gray)
};

// jdsample.c's choice of method for a component with sampling factors h × v in a frame whose largest factors
// are maxH × maxV, at scale 1 with do_fancy_upsampling (djpeg's default). False with a reason for the
// fractional ratios libjpeg refuses too (JERR_FRACT_SAMPLE_NOTIMPL).
inline bool PlanUpsample(int h, int v, int maxH, int maxV, int widthIn, ExactPlane* plane, std::string* reason) {
  plane->hExpand = 1;
  plane->vExpand = 1;
  plane->method = kUpsampleInteger;
  if (h <= 0 || v <= 0 || maxH % h != 0 || maxV % v != 0) {
    if (reason) *reason = "fractional sampling ratios are not supported (libjpeg refuses them too)";
    return false;
  }
  if (h * 2 == maxH && v == maxV && widthIn > 2) {
    plane->method = kUpsampleH2V1Fancy;
  } else if (h == maxH && v * 2 == maxV) {
    plane->method = kUpsampleH1V2Fancy;
  } else if (h * 2 == maxH && v * 2 == maxV && widthIn > 2) {
    plane->method = kUpsampleH2V2Fancy;
  } else {
    plane->hExpand = maxH / h;
    plane->vExpand = maxV / v;
  }
  return true;
}

// One component's IDCT work: `blocksPerRow × blockRows` blocks of 64 int16 coefficients (natural order) at
// `coefficients`, the 64-entry table (as int16) at `quant`, samples to `plane` with row pitch `pitch`.
struct ExactIdctJob {
  const int16_t* coefficients;
  const int16_t* quant;
  uint8_t* plane;
  int64_t pitch;
  int32_t blocksPerRow, blockRows;
};

// Runs the IDCT of every block of up to 3 components (one thread per 8×8 block).
cudaError_t LaunchExactIdct(const ExactIdctJob* jobs, int count, cudaStream_t stream);

// Upsampling + colour conversion, one thread per output pixel, into `outPlanes` planes of width × height at
// `out` (plane p at out + p · pitch · height).
cudaError_t LaunchExactColor(const ExactFrame& frame, uint8_t* out, int64_t pitch, cudaStream_t stream);

}  // namespace jpegkit
