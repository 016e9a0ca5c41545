/* Image descriptors of the pixel ops: checks, channel layouts, sizes. */
#include "jk_internal.h"
#include "ops_internal.h"

int jk_img_make(jk_img *img, const uint8_t *data, int width, int height, int stride, int format) {
  img->data = (uint8_t *)(uintptr_t)data; /* sources are only read; the descriptor serves both directions */
  img->width = width;
  img->height = height;
  img->stride = stride;
  img->format = format;
  if (!jk_format_valid(format)) return jk_status_set(JK_E_INVALID_ARGUMENT, "unknown pixel format");
  if (data == NULL) return jk_status_set(JK_E_INVALID_ARGUMENT, "missing buffer");
  if (width <= 0 || height <= 0) return jk_status_set(JK_E_INVALID_ARGUMENT, "width and height must be positive");
  if (stride <= 0 || (uint64_t)stride < (uint64_t)width * (uint64_t)jk_format_row_bytes(format))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "stride is smaller than a row");
  if (jk_image_bytes(format, width, height, stride) == 0)
    return jk_status_set(JK_E_TOO_LARGE, "image does not fit in memory");
  return JK_OK;
}

void jk_img_chans(const jk_img *img, jk_chans *c) {
  int i;
  c->count = jk_format_channels(img->format);
  c->alpha = img->format == JK_FMT_RGBA || img->format == JK_FMT_BGRA ? 3 : -1;
  if (jk_format_planar(img->format)) {
    c->step = 1;
    for (i = 0; i < 4; i++) c->base[i] = (size_t)i * (size_t)img->stride * (size_t)img->height;
  } else {
    c->step = c->count;
    for (i = 0; i < 4; i++) c->base[i] = (size_t)i;
  }
}

size_t jk_img_tight_bytes(int width, int height, int format) {
  uint64_t total;
  if (width <= 0 || height <= 0 || !jk_format_valid(format)) return 0;
  total = (uint64_t)width * (uint64_t)height * (uint64_t)jk_format_channels(format);
  return total > (uint64_t)SIZE_MAX ? 0 : (size_t)total;
}

size_t jk_mul_size(size_t n, size_t size) {
  if (n == 0 || size == 0 || n > SIZE_MAX / size) return 0;
  return n * size;
}

void jk_background_samples(const uint8_t rgba[4], int format, uint8_t out[4]) {
  unsigned r = rgba[0], g = rgba[1], b = rgba[2], a = rgba[3];
  out[3] = (uint8_t)a;
  switch (format) {
  case JK_FMT_GRAY:
    out[0] = (uint8_t)((19595u * r + 38470u * g + 7471u * b + 32768u) >> 16);
    out[1] = out[2] = out[0];
    break;
  case JK_FMT_BGR:
  case JK_FMT_BGRA:
  case JK_FMT_BGR_PLANAR:
    out[0] = (uint8_t)b;
    out[1] = (uint8_t)g;
    out[2] = (uint8_t)r;
    break;
  default:
    out[0] = (uint8_t)r;
    out[1] = (uint8_t)g;
    out[2] = (uint8_t)b;
  }
}
