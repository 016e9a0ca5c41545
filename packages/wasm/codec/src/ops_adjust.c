/* Brightness/contrast (core's adjust.ts): one 256-entry table on every colour sample, alpha untouched. */
#include "jk_internal.h"
#include "ops_internal.h"
#include "ops_kernels.h"

int jk_op_adjust(const jk_img *src, const jk_img *dst, double brightness, double contrast) {
  uint8_t table[256];
  int v, y, p;
  const int planar = jk_format_planar(src->format);
  const int ch = planar ? 1 : jk_format_channels(src->format);
  const int skip = src->format == JK_FMT_RGBA || src->format == JK_FMT_BGRA ? 3 : -1;
  const size_t splane = (size_t)src->stride * (size_t)src->height, dplane = (size_t)dst->stride * (size_t)dst->height;
  if (!(brightness >= -1 && brightness <= 1)) return jk_status_set(JK_E_INVALID_ARGUMENT, "brightness must be -1..1");
  if (!(contrast >= 0 && contrast <= 4)) return jk_status_set(JK_E_INVALID_ARGUMENT, "contrast must be 0..4");
  if (dst->width != src->width || dst->height != src->height || dst->format != src->format)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "adjust output does not match its input");
  for (v = 0; v < 256; v++) table[v] = jk_round_byte((v - 128) * contrast + 128 + brightness * 255);
  for (p = 0; p < (planar ? 3 : 1); p++)
    for (y = 0; y < src->height; y++)
      jk_k_lut_row(src->data + (size_t)p * splane + (size_t)y * (size_t)src->stride,
                   dst->data + (size_t)p * dplane + (size_t)y * (size_t)dst->stride, (size_t)src->width, ch, skip,
                   table);
  return JK_OK;
}

int jk_ops_adjust(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst, int dst_stride,
                  double brightness, double contrast) {
  jk_img s, d;
  int rc;
  jk_status_reset();
  if ((rc = jk_img_make(&s, src, width, height, stride, format)) != JK_OK) return rc;
  if ((rc = jk_img_make(&d, dst, width, height, dst_stride, format)) != JK_OK) return rc;
  return jk_op_adjust(&s, &d, brightness, contrast);
}
