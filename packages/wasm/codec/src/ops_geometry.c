/*
 * Geometry (core's crop.ts, rotate.ts, flip.ts, orient.ts): pure pixel copies. Every one is an integer affine map
 * from output to input pixel, so one loop serves all: each output row is a line through the input with a
 * constant pointer step, copied by jk_k_gather_row.
 */
#include "jk_internal.h"
#include "ops_internal.h"
#include "ops_kernels.h"

void jk_op_remap(const jk_img *src, const jk_img *dst, int x0, int ax, int bx, int y0, int ay, int by) {
  jk_chans sc, dc;
  const int planes = jk_format_planar(src->format) ? 3 : 1, bpp = jk_format_row_bytes(src->format);
  const ptrdiff_t step = (ptrdiff_t)ax * bpp + (ptrdiff_t)ay * src->stride;
  int p, y;
  jk_img_chans(src, &sc);
  jk_img_chans(dst, &dc);
  for (p = 0; p < planes; p++) {
    const uint8_t *splane = src->data + (planes == 1 ? 0 : sc.base[p]);
    uint8_t *dplane = dst->data + (planes == 1 ? 0 : dc.base[p]);
    for (y = 0; y < dst->height; y++) {
      const ptrdiff_t sx = (ptrdiff_t)x0 + (ptrdiff_t)bx * y, sy = (ptrdiff_t)y0 + (ptrdiff_t)by * y;
      jk_k_gather_row(splane + sy * src->stride + sx * bpp, step, dplane + (size_t)y * (size_t)dst->stride,
                      (size_t)dst->width, bpp);
    }
  }
}

int jk_orient_size(int orientation, int width, int height, int *out_w, int *out_h) {
  if (orientation < 1 || orientation > 8) return 0;
  *out_w = orientation >= 5 ? height : width;
  *out_h = orientation >= 5 ? width : height;
  return 1;
}

int jk_op_orient(const jk_img *src, const jk_img *dst, int orientation) {
  const int lx = src->width - 1, ly = src->height - 1;
  int w, h;
  if (!jk_orient_size(orientation, src->width, src->height, &w, &h))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "orientation must be 1..8");
  if (dst->width != w || dst->height != h || dst->format != src->format)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "orient output does not match its input");
  /* (x0, ax, bx, y0, ay, by): input (x0 + ax·x + bx·y, y0 + ay·x + by·y) for output (x, y). */
  switch (orientation) {
  case 1: /* none */
    jk_op_remap(src, dst, 0, 1, 0, 0, 0, 1);
    break;
  case 2: /* flop */
    jk_op_remap(src, dst, lx, -1, 0, 0, 0, 1);
    break;
  case 3: /* rotate 180 */
    jk_op_remap(src, dst, lx, -1, 0, ly, 0, -1);
    break;
  case 4: /* flip */
    jk_op_remap(src, dst, 0, 1, 0, ly, 0, -1);
    break;
  case 5: /* transpose: (y, x) */
    jk_op_remap(src, dst, 0, 0, 1, 0, 1, 0);
    break;
  case 6: /* rotate 90 clockwise: (y, H − 1 − x) */
    jk_op_remap(src, dst, 0, 0, 1, ly, -1, 0);
    break;
  case 7: /* transverse: (W − 1 − y, H − 1 − x) */
    jk_op_remap(src, dst, lx, 0, -1, ly, -1, 0);
    break;
  default: /* 8, rotate 270 clockwise: (W − 1 − y, x) */
    jk_op_remap(src, dst, lx, 0, -1, 0, 1, 0);
  }
  return JK_OK;
}

int jk_op_crop(const jk_img *src, const jk_img *dst, int x, int y) {
  if (x < 0 || y < 0 || dst->width <= 0 || dst->height <= 0 || (int64_t)x + dst->width > src->width ||
      (int64_t)y + dst->height > src->height)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "crop rectangle exceeds the image");
  if (dst->format != src->format) return jk_status_set(JK_E_INVALID_ARGUMENT, "crop output format differs");
  jk_op_remap(src, dst, x, 1, 0, y, 0, 1);
  return JK_OK;
}

static int run_orient(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                      int dst_stride, int orientation) {
  jk_img s, d;
  int rc, w, h;
  if ((rc = jk_img_make(&s, src, width, height, stride, format)) != JK_OK) return rc;
  if (!jk_orient_size(orientation, width, height, &w, &h))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "orientation must be 1..8");
  if ((rc = jk_img_make(&d, dst, w, h, dst_stride, format)) != JK_OK) return rc;
  return jk_op_orient(&s, &d, orientation);
}

int jk_ops_orient(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst, int dst_stride,
                  int orientation) {
  jk_status_reset();
  return run_orient(src, width, height, stride, format, dst, dst_stride, orientation);
}

int jk_ops_rotate(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst, int dst_stride,
                  int angle) {
  jk_status_reset();
  if (angle != 90 && angle != 180 && angle != 270)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "angle must be 90, 180 or 270");
  return run_orient(src, width, height, stride, format, dst, dst_stride, angle == 90 ? 6 : angle == 180 ? 3 : 8);
}

int jk_ops_flip(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst, int dst_stride) {
  jk_status_reset();
  return run_orient(src, width, height, stride, format, dst, dst_stride, 4);
}

int jk_ops_flop(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst, int dst_stride) {
  jk_status_reset();
  return run_orient(src, width, height, stride, format, dst, dst_stride, 2);
}

int jk_ops_crop(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst, int dst_stride,
                int x, int y, int crop_w, int crop_h) {
  jk_img s, d;
  int rc;
  jk_status_reset();
  if ((rc = jk_img_make(&s, src, width, height, stride, format)) != JK_OK) return rc;
  if (crop_w <= 0 || crop_h <= 0) return jk_status_set(JK_E_INVALID_ARGUMENT, "crop rectangle is empty");
  if ((rc = jk_img_make(&d, dst, crop_w, crop_h, dst_stride, format)) != JK_OK) return rc;
  return jk_op_crop(&s, &d, x, y);
}
