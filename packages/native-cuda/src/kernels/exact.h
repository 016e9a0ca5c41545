// The exact kernels' data and host-side launchers (plain C++, so the .cc files compile with g++; the arithmetic
// is in exact-math.cuh, the kernels in exact-idct.cu and exact-image.cu).
//
// Quantised coefficients (from our GPU Huffman decoder, or from the CPU for exact mode's other images), one int16
// plane per component in whole MCUs: the GPU dequantises and runs libjpeg's islow IDCT into padded 8-bit
// component planes, then upsamples (jdsample.c, fancy), converts (jdcolor.c) and lays out one display pixel per
// thread into the result's format and orientation. Both launches take many images at once.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "kernels.h"

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

// One component's blocks in a batched IDCT launch: its job, and the launch-wide number of its first block
// (entries in launch order, so a block finds its entry by binary search).
struct ExactIdctEntry {
  ExactIdctJob job;
  int64_t firstBlock;
};

// One image of a batched pixel launch: its frame (the planes the IDCT wrote), where its display pixels go
// (`out`: format's channel layout, outWidth × outHeight after orientation) and how: output channel c takes
// converted value source[c] (R, G, B, or Y) or 255 where source[c] is -1 (alpha).
struct ExactImageJob {
  ExactFrame frame;
  ChannelLayout out;
  int32_t source[4];
  int32_t orientation;
  int32_t outWidth, outHeight;
};

// Rewrites `count` blocks of 64 coefficients in place from the progressive decoder's layout (AC in zigzag order,
// the DC values apart in `dc`, one per block) into natural order with the DC, as the IDCT reads them.
cudaError_t LaunchNaturalFromZigzag(int16_t* blocks, const int16_t* dc, int64_t count, cudaStream_t stream);

// Dequantises and runs the islow IDCT of `blocks` blocks described by `count` entries (device memory), eight
// threads per 8×8 block.
cudaError_t LaunchExactIdct(const ExactIdctEntry* entries, int count, int64_t blocks, cudaStream_t stream);

// Upsampling, colour conversion, layout and orientation of `count` images (jobs in device memory) in one launch:
// one thread per display pixel, writing the result in its format. maxWidth × maxHeight bound every outWidth ×
// outHeight.
cudaError_t LaunchExactImages(const ExactImageJob* jobs, int count, int maxWidth, int maxHeight, cudaStream_t stream);

}  // namespace jpegkit
