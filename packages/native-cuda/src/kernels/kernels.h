// Host-side launchers of the addon's CUDA kernels. Plain C++ (no CUDA syntax) so the .cc files that call them
// compile with g++; the kernels themselves are in the .cu files beside this header.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace jpegkit {

// Where each channel of an 8-bit image lies: channel c of pixel (x, y) is at
// base + offset[c] + y * rowPitch + x * step. Interleaved RGB: offsets 0,1,2 and step 3; planar: offsets
// 0, pitch·height, 2·pitch·height and step 1 — one description for every layout jpegkit has.
struct ChannelLayout {
  uint8_t* base;
  int64_t offset[4];
  int64_t rowPitch;
  int32_t step;
  int32_t channels;
};

// Copies a srcWidth×srcHeight image into dst, applying the EXIF orientation (1–8; 5–8 swap the axes, so dst
// is srcHeight×srcWidth then) and rearranging channels: dst channel c takes src channel source[c], or 255
// when source[c] is -1 (alpha). One thread per destination pixel.
cudaError_t LaunchRemap(const ChannelLayout& src, int srcWidth, int srcHeight, const ChannelLayout& dst,
                        const int source[4], int orientation, cudaStream_t stream);

// Luma of an RGB image as libjpeg computes it for JCS_GRAYSCALE output (0.299 R + 0.587 G + 0.114 B in 16-bit
// fixed point, rounded): the input of a grayscale encode from a colour image. src channels 0, 1, 2 = R, G, B.
cudaError_t LaunchLuma(const ChannelLayout& src, int width, int height, uint8_t* dst, int64_t dstPitch,
                       cudaStream_t stream);

// cudaSuccess when this GPU can run the kernels (the fatbin has a matching SASS or PTX image); else the
// error, e.g. cudaErrorNoKernelImageForDevice.
cudaError_t ProbeKernels();

}  // namespace jpegkit
