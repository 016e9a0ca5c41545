/*
 * Lossless transforms: jpegtran's call sequence around libjpeg-turbo's transupp.c, so the same settings give
 * identical bytes: jcopy_markers_setup, jpeg_read_header, jtransform_request_workspace, jpeg_read_coefficients,
 * jpeg_copy_critical_parameters, jtransform_adjust_parameters, the output switches (-optimize, -restart,
 * -arithmetic, -progressive), jpeg_write_coefficients, jcopy_markers_execute, jtransform_execute_transform.
 */
#include <stdlib.h>

#include "jk_internal.h"
#include "jk_transform.h"
#include "transupp.h" /* libjpeg-turbo's, compiled from its source tree */

typedef struct jk_transformer {
  struct jpeg_decompress_struct src;
  struct jpeg_compress_struct dst;
  jk_error_mgr err; /* shared by both objects: one setjmp covers the whole call */
  jk_mem_dest dest;
  jpeg_transform_info info;
  int src_created, dst_created;
} jk_transformer;


/* A source extent with its partial iMCU dropped, as transupp mirrors it (the full iMCUs only). */
static JDIMENSION whole_imcus(JDIMENSION extent, int imcu) { return extent / (JDIMENSION)imcu * (JDIMENSION)imcu; }

/* Maps [pos, pos + size) on a source axis onto that axis mirrored within its first `mirror` samples (the whole
 * iMCUs: transupp mirrors those and trims the partial one); the part in the partial iMCU is cut off.
 * Returns 0 when nothing of the range is left. */
static int mirror_range(JDIMENSION pos, JDIMENSION size, JDIMENSION mirror, JDIMENSION *out_pos,
                        JDIMENSION *out_size) {
  JDIMENSION end = pos + size;
  if (pos >= mirror) return 0;
  if (end > mirror) end = mirror;
  *out_pos = mirror - end;
  *out_size = end - pos;
  return 1;
}

/* Sets transupp's crop spec (in output coordinates, like jpegtran's -crop W'xH'+X'+Y') for a rectangle given in
 * source coordinates. */
static int set_crop(jk_transformer *t, int op, int gray, JDIMENSION x, JDIMENSION y, JDIMENSION w, JDIMENSION h) {
  j_decompress_ptr src = &t->src;
  jpeg_transform_info *info = &t->info;
  JDIMENSION W = src->image_width, H = src->image_height;
  int one = gray || src->num_components == 1;
  int imcu_w = one ? DCTSIZE : src->max_h_samp_factor * DCTSIZE;
  int imcu_h = one ? DCTSIZE : src->max_v_samp_factor * DCTSIZE;
  JDIMENSION ox, oy, ow, oh, mx, mw, my, mh;
  int transposed = op == JXFORM_TRANSPOSE || op == JXFORM_TRANSVERSE || op == JXFORM_ROT_90 || op == JXFORM_ROT_270;
  int mirror_x = op == JXFORM_FLIP_H || op == JXFORM_ROT_180 || op == JXFORM_ROT_270 || op == JXFORM_TRANSVERSE;
  int mirror_y = op == JXFORM_FLIP_V || op == JXFORM_ROT_180 || op == JXFORM_ROT_90 || op == JXFORM_TRANSVERSE;

  if (x >= W || y >= H || w > W - x || h > H - y) return 0;
  mx = x; mw = w; my = y; mh = h;
  if (mirror_x && !mirror_range(x, w, whole_imcus(W, imcu_w), &mx, &mw)) return 0;
  if (mirror_y && !mirror_range(y, h, whole_imcus(H, imcu_h), &my, &mh)) return 0;
  if (transposed) {
    ox = my; ow = mh; /* output columns are source rows */
    oy = mx; oh = mw;
  } else {
    ox = mx; ow = mw;
    oy = my; oh = mh;
  }
  info->crop = TRUE;
  info->crop_xoffset = ox;
  info->crop_xoffset_set = JCROP_POS;
  info->crop_yoffset = oy;
  info->crop_yoffset_set = JCROP_POS;
  info->crop_width = ow;
  info->crop_width_set = JCROP_POS;
  info->crop_height = oh;
  info->crop_height_set = JCROP_POS;
  return 1;
}

static int run_transform(jk_transformer *t, const uint8_t *data, size_t len, int op, int crop_x, int crop_y,
                         int crop_w, int crop_h, int flags, int restart_interval, int restart_rows, int copy) {
  j_decompress_ptr src = &t->src;
  j_compress_ptr dst = &t->dst;
  jpeg_transform_info *info = &t->info;
  JCOPY_OPTION copyopt = copy == JK_COPY_ALL ? JCOPYOPT_ALL : copy == JK_COPY_ICC ? JCOPYOPT_ICC : JCOPYOPT_NONE;
  jvirt_barray_ptr *src_coefs, *dst_coefs;

  src->err = jk_error_init(&t->err, 1);
  dst->err = &t->err.pub;
  if (setjmp(t->err.jump)) return jk_status_set(t->err.fatal_code, t->err.message);
  jpeg_create_decompress(src);
  t->src_created = 1;
  jpeg_create_compress(dst);
  t->dst_created = 1;

  jk_mem_src(src, data, len);
  jcopy_markers_setup(src, copyopt);
  (void)jpeg_read_header(src, TRUE);
  if (jk_coef_bytes(src) > JK_MAX_COEF_BYTES)
    return jk_status_set(JK_E_TOO_LARGE, "the DCT coefficients of this image do not fit in memory");

  info->transform = (JXFORM_CODE)op;
  info->trim = (flags & JK_XF_TRIM) ? TRUE : FALSE;
  info->perfect = info->trim ? FALSE : TRUE;
  info->force_grayscale = (flags & JK_XF_GRAY) ? TRUE : FALSE;
  info->crop = FALSE;
  info->slow_hflip = FALSE;
  if (crop_w > 0 && !set_crop(t, op, info->force_grayscale, (JDIMENSION)crop_x, (JDIMENSION)crop_y,
                              (JDIMENSION)crop_w, (JDIMENSION)crop_h))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "crop rectangle is outside the image (or in its trimmed edge)");
  if (!jtransform_request_workspace(src, info))
    return jk_status_set(JK_E_UNSUPPORTED, "transformation is not perfect (partial edge iMCUs; enable trim)");

  src_coefs = jpeg_read_coefficients(src);
  jpeg_copy_critical_parameters(src, dst);
  dst_coefs = jtransform_adjust_parameters(src, dst, src_coefs, info);

  /* jpegtran's second parse_switches pass: the output switches, then -progressive once the components are known. */
  if (flags & JK_XF_ARITHMETIC) dst->arith_code = TRUE;
  if (flags & JK_XF_OPTIMIZE) dst->optimize_coding = TRUE;
  if (restart_rows > 0) {
    dst->restart_in_rows = restart_rows;
  } else if (restart_interval > 0) {
    dst->restart_interval = (unsigned int)restart_interval;
    dst->restart_in_rows = 0;
  }
  if ((flags & JK_XF_PROGRESSIVE) || (!(flags & JK_XF_SEQUENTIAL) && src->progressive_mode))
    jpeg_simple_progression(dst);

  /* The output is about the input's size; the destination doubles when needed. */
  jk_mem_dest_init(dst, &t->dest, len + len / 8 + 1024);
  jpeg_write_coefficients(dst, dst_coefs);
  jcopy_markers_execute(src, dst, copyopt);
  jtransform_execute_transform(src, dst, src_coefs, info);
  jpeg_finish_compress(dst);
  (void)jpeg_finish_decompress(src);
  return JK_OK;
}

int jk_transform(const uint8_t *src, size_t len, int op, int crop_x, int crop_y, int crop_w, int crop_h,
                 int flags, int restart_interval, int restart_rows, int copy, uint8_t **out, size_t *out_len) {
  jk_transformer *t;
  int rc;
  jk_status_reset();
  if (out == NULL || out_len == NULL || (src == NULL && len > 0))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "missing buffer");
  *out = NULL;
  *out_len = 0;
  if (op < JK_XFORM_NONE || op > JK_XFORM_ROT_270) return jk_status_set(JK_E_INVALID_ARGUMENT, "unknown transform");
  if (crop_w < 0 || crop_h < 0 || crop_x < 0 || crop_y < 0 || (crop_w > 0) != (crop_h > 0))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "bad crop rectangle");
  if (flags & ~(JK_XF_TRIM | JK_XF_GRAY | JK_XF_OPTIMIZE | JK_XF_PROGRESSIVE | JK_XF_SEQUENTIAL | JK_XF_ARITHMETIC) ||
      ((flags & JK_XF_PROGRESSIVE) && (flags & JK_XF_SEQUENTIAL)))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "bad transform flags");
  if (restart_interval < 0 || restart_interval > 65535 || restart_rows < 0 || restart_rows > 65535)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "restart interval must be 0..65535");
  if (copy < JK_COPY_NONE || copy > JK_COPY_ALL) return jk_status_set(JK_E_INVALID_ARGUMENT, "unknown copy option");
  t = (jk_transformer *)calloc(1, sizeof *t);
  if (t == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory");
  rc = run_transform(t, src, len, op, crop_x, crop_y, crop_w, crop_h, flags, restart_interval, restart_rows, copy);
  if (rc == JK_OK) {
    *out = t->dest.buffer;
    *out_len = t->dest.size;
  } else {
    free(t->dest.buffer);
  }
  if (t->dst_created) jpeg_destroy_compress(&t->dst);
  if (t->src_created) jpeg_destroy_decompress(&t->src);
  free(t);
  return rc;
}

int jk_transform_abi_version(void) { return JK_TRANSFORM_ABI_VERSION; }
