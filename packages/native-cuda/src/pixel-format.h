// core's pixel formats on the native side: names, channel layouts, and how nvJPEG produces each.
#pragma once

#include <cstddef>
#include <string>

#include "kernels/kernels.h"
#include "nvjpeg-api.h"

namespace jpegkit {

enum class PixelFormat { kRgb, kRgba, kBgr, kBgra, kGray, kRgbPlanar, kBgrPlanar };

bool ParsePixelFormat(const std::string& name, PixelFormat* out);
const char* PixelFormatName(PixelFormat format);
int ChannelCount(PixelFormat format);
bool IsPlanar(PixelFormat format);
// Bytes of one pixel in a row (1 for planar formats, whose planes are each `pitch * height`).
int BytesPerPixel(PixelFormat format);
// Rows a buffer holds: height, or 3 × height for planar formats (planes back to back at the same pitch).
inline size_t RowsOf(PixelFormat format, size_t height) { return IsPlanar(format) ? 3 * height : height; }

// The nvJPEG output format that writes `format` directly (no kernel after the decode), when there is one:
// rgb → RGBI, bgr → BGRI, gray → Y, rgb-planar → RGB, bgr-planar → BGR. rgba/bgra have none.
bool DirectNvjpegOutput(PixelFormat format, nvjpegOutputFormat_t* out);

// Points nvJPEG's output descriptor at an image of `format` stored at `base` with row `pitch`.
nvjpegImage_t NvjpegImageFor(PixelFormat format, uint8_t* base, size_t pitch, size_t height);

// The channel layout of an image of `format` at `base` (see ChannelLayout).
ChannelLayout LayoutOf(PixelFormat format, uint8_t* base, size_t pitch, size_t height);
// Whether `format` stores blue first (bgr, bgra, bgr-planar).
bool IsBgr(PixelFormat format);
// LayoutOf with channels 0, 1, 2 = R, G, B whatever order the format stores them in (what the luma and encoder
// kernels read).
ChannelLayout RgbLayoutOf(PixelFormat format, uint8_t* base, size_t pitch, size_t height);
// Planar RGB (3 planes) or Y (1 plane) as nvJPEG writes the intermediate of an indirect decode.
ChannelLayout PlanarLayout(int planes, uint8_t* base, size_t pitch, size_t height);

// Which source channel each channel of `format` takes from planar RGB (or Y when `sourceChannels` is 1),
// -1 = alpha (255).
void SourceChannels(PixelFormat format, int sourceChannels, int out[4]);

}  // namespace jpegkit
