/*
 * Format conversion (core's convert.ts): channels reordered (rgb ↔ bgr, interleaved ↔ planar), alpha added as 255
 * or dropped, colour → gray by libjpeg's fixed-point luma, gray → colour replicated.
 */
#include "jk_internal.h"
#include "ops_internal.h"
#include "ops_kernels.h"

/* The roles of a format's channels in storage order ('y': the one gray channel). */
static const char *roles_of(int format) {
  switch (format) {
  case JK_FMT_RGBA:
    return "rgba";
  case JK_FMT_BGR:
  case JK_FMT_BGR_PLANAR:
    return "bgr";
  case JK_FMT_BGRA:
    return "bgra";
  case JK_FMT_GRAY:
    return "y";
  default:
    return "rgb";
  }
}

static int find_role(const char *roles, char role) {
  int i;
  for (i = 0; roles[i] != '\0'; i++)
    if (roles[i] == role) return i;
  return -1;
}

int jk_op_convert(const jk_img *src, const jk_img *dst) {
  jk_chans sc, dc;
  jk_convert_row_io io;
  const char *sroles = roles_of(src->format), *droles = roles_of(dst->format);
  const int gray = src->format == JK_FMT_GRAY;
  int ir, ig, ib, ia, c, y;
  if (dst->width != src->width || dst->height != src->height)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "convert output size differs from its input");
  jk_img_chans(src, &sc);
  jk_img_chans(dst, &dc);
  ir = gray ? 0 : find_role(sroles, 'r');
  ig = gray ? 0 : find_role(sroles, 'g');
  ib = gray ? 0 : find_role(sroles, 'b');
  ia = find_role(sroles, 'a');
  io.src_step = sc.step;
  io.src_gray = gray;
  io.dst_step = dc.step;
  io.out_count = dc.count;
  for (c = 0; c < 4; c++) {
    io.role[c] = c < dc.count ? droles[c] : 'a';
    io.out[c] = NULL;
  }
  for (y = 0; y < src->height; y++) {
    const uint8_t *row = src->data + (size_t)y * (size_t)src->stride;
    uint8_t *drow = dst->data + (size_t)y * (size_t)dst->stride;
    io.r = row + sc.base[ir];
    io.g = row + sc.base[ig];
    io.b = row + sc.base[ib];
    io.a = ia >= 0 ? row + sc.base[ia] : NULL;
    for (c = 0; c < dc.count; c++) io.out[c] = drow + dc.base[c];
    jk_k_convert_row(&io, (size_t)src->width);
  }
  return JK_OK;
}

int jk_ops_convert(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst, int dst_stride,
                   int dst_format) {
  jk_img s, d;
  int rc;
  jk_status_reset();
  if ((rc = jk_img_make(&s, src, width, height, stride, format)) != JK_OK) return rc;
  if ((rc = jk_img_make(&d, dst, width, height, dst_stride, dst_format)) != JK_OK) return rc;
  return jk_op_convert(&s, &d);
}
