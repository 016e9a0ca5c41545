// Pixel format tables (see pixel-format.h).
#include "pixel-format.h"

#include <utility>

namespace jpegkit {

bool ParsePixelFormat(const std::string& name, PixelFormat* out) {
  static const struct {
    const char* name;
    PixelFormat format;
  } kNames[] = {{"rgb", PixelFormat::kRgb},   {"rgba", PixelFormat::kRgba},
                {"bgr", PixelFormat::kBgr},   {"bgra", PixelFormat::kBgra},
                {"gray", PixelFormat::kGray}, {"rgb-planar", PixelFormat::kRgbPlanar},
                {"bgr-planar", PixelFormat::kBgrPlanar}};
  for (const auto& entry : kNames) {
    if (name == entry.name) {
      *out = entry.format;
      return true;
    }
  }
  return false;
}

const char* PixelFormatName(PixelFormat format) {
  switch (format) {
    case PixelFormat::kRgb: return "rgb";
    case PixelFormat::kRgba: return "rgba";
    case PixelFormat::kBgr: return "bgr";
    case PixelFormat::kBgra: return "bgra";
    case PixelFormat::kGray: return "gray";
    case PixelFormat::kRgbPlanar: return "rgb-planar";
    case PixelFormat::kBgrPlanar: return "bgr-planar";
  }
  return "rgb";
}

int ChannelCount(PixelFormat format) {
  switch (format) {
    case PixelFormat::kGray: return 1;
    case PixelFormat::kRgba:
    case PixelFormat::kBgra: return 4;
    default: return 3;
  }
}

bool IsPlanar(PixelFormat format) {
  return format == PixelFormat::kRgbPlanar || format == PixelFormat::kBgrPlanar;
}

int BytesPerPixel(PixelFormat format) { return IsPlanar(format) ? 1 : ChannelCount(format); }

bool DirectNvjpegOutput(PixelFormat format, nvjpegOutputFormat_t* out) {
  switch (format) {
    case PixelFormat::kRgb: *out = NVJPEG_OUTPUT_RGBI; return true;
    case PixelFormat::kBgr: *out = NVJPEG_OUTPUT_BGRI; return true;
    case PixelFormat::kGray: *out = NVJPEG_OUTPUT_Y; return true;
    case PixelFormat::kRgbPlanar: *out = NVJPEG_OUTPUT_RGB; return true;
    case PixelFormat::kBgrPlanar: *out = NVJPEG_OUTPUT_BGR; return true;
    default: return false;
  }
}

nvjpegImage_t NvjpegImageFor(PixelFormat format, uint8_t* base, size_t pitch, size_t height) {
  nvjpegImage_t image{};
  const int planes = IsPlanar(format) ? 3 : 1;
  for (int p = 0; p < planes; ++p) {
    image.channel[p] = base + p * pitch * height;
    image.pitch[p] = pitch;
  }
  return image;
}

ChannelLayout LayoutOf(PixelFormat format, uint8_t* base, size_t pitch, size_t height) {
  ChannelLayout layout{};
  layout.base = base;
  layout.rowPitch = static_cast<int64_t>(pitch);
  layout.channels = ChannelCount(format);
  layout.step = BytesPerPixel(format);
  const int64_t plane = static_cast<int64_t>(pitch * height);
  for (int c = 0; c < layout.channels; ++c) layout.offset[c] = IsPlanar(format) ? c * plane : c;
  return layout;
}

bool IsBgr(PixelFormat format) {
  return format == PixelFormat::kBgr || format == PixelFormat::kBgra || format == PixelFormat::kBgrPlanar;
}

ChannelLayout RgbLayoutOf(PixelFormat format, uint8_t* base, size_t pitch, size_t height) {
  ChannelLayout layout = LayoutOf(format, base, pitch, height);
  if (IsBgr(format)) std::swap(layout.offset[0], layout.offset[2]);
  return layout;
}

ChannelLayout PlanarLayout(int planes, uint8_t* base, size_t pitch, size_t height) {
  ChannelLayout layout{};
  layout.base = base;
  layout.rowPitch = static_cast<int64_t>(pitch);
  layout.channels = planes;
  layout.step = 1;
  for (int c = 0; c < planes; ++c) layout.offset[c] = static_cast<int64_t>(c * pitch * height);
  return layout;
}

void SourceChannels(PixelFormat format, int sourceChannels, int out[4]) {
  // Source channel order is R, G, B (or Y alone).
  static const int kRgb[4] = {0, 1, 2, -1}, kBgr[4] = {2, 1, 0, -1};
  const bool bgr = IsBgr(format);
  for (int c = 0; c < 4; ++c) {
    if (c >= ChannelCount(format) || (c == 3)) {
      out[c] = -1;
    } else {
      out[c] = sourceChannels == 1 ? 0 : (bgr ? kBgr[c] : kRgb[c]);
    }
  }
}

}  // namespace jpegkit
