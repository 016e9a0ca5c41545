/* Pixel format properties (the jk_format enum, in @jpegkit/core's PIXEL_FORMATS order). */
#include "jk_internal.h"

int jk_format_valid(int format) { return format >= JK_FMT_RGB && format <= JK_FMT_BGR_PLANAR; }

int jk_format_channels(int format) {
  switch (format) {
  case JK_FMT_GRAY:
    return 1;
  case JK_FMT_RGBA:
  case JK_FMT_BGRA:
    return 4;
  default:
    return 3;
  }
}

int jk_format_planar(int format) { return format == JK_FMT_RGB_PLANAR || format == JK_FMT_BGR_PLANAR; }

int jk_format_row_bytes(int format) { return jk_format_planar(format) ? 1 : jk_format_channels(format); }

J_COLOR_SPACE jk_format_color_space(int format) {
  switch (format) {
  case JK_FMT_RGBA:
    return JCS_EXT_RGBA;
  case JK_FMT_BGR:
  case JK_FMT_BGR_PLANAR:
    return JCS_EXT_BGR;
  case JK_FMT_BGRA:
    return JCS_EXT_BGRA;
  case JK_FMT_GRAY:
    return JCS_GRAYSCALE;
  default:
    return JCS_EXT_RGB;
  }
}

size_t jk_image_bytes(int format, int width, int height, int stride) {
  uint64_t plane, total;
  if (width <= 0 || height <= 0) return 0;
  plane = (uint64_t)stride * (uint64_t)(height - 1) + (uint64_t)width * (uint64_t)jk_format_row_bytes(format);
  total = jk_format_planar(format) ? (uint64_t)stride * (uint64_t)height * 2 + plane : plane;
  return total > (uint64_t)SIZE_MAX ? 0 : (size_t)total;
}
