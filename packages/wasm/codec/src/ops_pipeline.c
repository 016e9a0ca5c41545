/*
 * Pipelines: a list of op records (jk_ops.h) applied in wasm memory, then an encode or the pixels; jk_pipeline
 * starts from a JPEG (jk_decode at a DCT scale). Each step writes a fresh, tightly packed image and frees the one
 * before, so nothing crosses to JavaScript until the end.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jk_internal.h"
#include "ops_internal.h"

/* An integer field of an op record, or failure for a non-integer / out-of-range value. */
static int field_int(const double *rec, int i, int *out) {
  double v = rec[i];
  if (!(v >= -2147483648.0 && v <= 2147483647.0) || v != floor(v)) return 0;
  *out = (int)v;
  return 1;
}

static int bad_op(int index, const char *what) {
  char message[96];
  snprintf(message, sizeof message, "op %d: %s", index, what);
  return jk_status_set(JK_E_INVALID_ARGUMENT, message);
}

/* The output geometry of an op record on `in`; fills out's size and format (stride tight, data NULL). */
static int op_output(const double *rec, int index, const jk_img *in, jk_img *out) {
  int kind, a, b, c, d;
  out->data = NULL;
  out->width = in->width;
  out->height = in->height;
  out->format = in->format;
  if (!field_int(rec, 0, &kind)) return bad_op(index, "unknown op");
  switch (kind) {
  case JK_OP_RESIZE:
    if (!field_int(rec, 5, &a) || !field_int(rec, 6, &b) || a <= 0 || b <= 0 || a > 65535 * 2 ||
        b > 65535 * 2)
      return bad_op(index, "resize output size");
    out->width = a;
    out->height = b;
    break;
  case JK_OP_CROP:
    if (!field_int(rec, 1, &a) || !field_int(rec, 2, &b) || !field_int(rec, 3, &c) || !field_int(rec, 4, &d) ||
        a < 0 || b < 0 || c <= 0 || d <= 0 || (int64_t)a + c > in->width || (int64_t)b + d > in->height)
      return bad_op(index, "crop rectangle exceeds the image");
    out->width = c;
    out->height = d;
    break;
  case JK_OP_ROTATE:
    if (!field_int(rec, 1, &a) || (a != 90 && a != 180 && a != 270))
      return bad_op(index, "angle must be 90, 180 or 270");
    if (a != 180) {
      out->width = in->height;
      out->height = in->width;
    }
    break;
  case JK_OP_ORIENT:
    if (!field_int(rec, 1, &a) || !jk_orient_size(a, in->width, in->height, &out->width, &out->height))
      return bad_op(index, "orientation must be 1..8");
    break;
  case JK_OP_TRANSPOSE:
  case JK_OP_TRANSVERSE:
    out->width = in->height;
    out->height = in->width;
    break;
  case JK_OP_CONVERT:
    if (!field_int(rec, 1, &a) || !jk_format_valid(a)) return bad_op(index, "unknown pixel format");
    out->format = a;
    break;
  case JK_OP_SHARPEN:
  case JK_OP_FLIP:
  case JK_OP_FLOP:
  case JK_OP_ADJUST:
    break;
  default:
    return bad_op(index, "unknown op");
  }
  out->stride = out->width * jk_format_row_bytes(out->format);
  return JK_OK;
}

static int op_apply(const double *rec, int index, const jk_img *in, const jk_img *out) {
  int kind = (int)rec[0], v;
  switch (kind) {
  case JK_OP_RESIZE: {
    jk_resize_params p;
    double bg = rec[11];
    uint32_t packed;
    if (!field_int(rec, 1, &p.filter) || !field_int(rec, 2, &p.linear) || !field_int(rec, 3, &p.resize_width) ||
        !field_int(rec, 4, &p.resize_height) || !field_int(rec, 7, &p.crop_x) || !field_int(rec, 8, &p.crop_y) ||
        !field_int(rec, 9, &p.pad_x) || !field_int(rec, 10, &p.pad_y) || !(bg >= 0 && bg <= 4294967295.0) ||
        bg != floor(bg))
      return bad_op(index, "bad resize fields");
    packed = (uint32_t)bg;
    p.linear = p.linear != 0;
    p.width = out->width;
    p.height = out->height;
    p.background[0] = (uint8_t)(packed & 0xFF);
    p.background[1] = (uint8_t)((packed >> 8) & 0xFF);
    p.background[2] = (uint8_t)((packed >> 16) & 0xFF);
    p.background[3] = (uint8_t)(packed >> 24);
    return jk_op_resize(in, out, &p);
  }
  case JK_OP_SHARPEN:
    return jk_op_sharpen(in, out, rec[1], rec[2], rec[3]);
  case JK_OP_CROP:
    return jk_op_crop(in, out, (int)rec[1], (int)rec[2]);
  case JK_OP_ROTATE:
    v = (int)rec[1];
    return jk_op_orient(in, out, v == 90 ? 6 : v == 180 ? 3 : 8);
  case JK_OP_FLIP:
    return jk_op_orient(in, out, 4);
  case JK_OP_FLOP:
    return jk_op_orient(in, out, 2);
  case JK_OP_TRANSPOSE:
    return jk_op_orient(in, out, 5);
  case JK_OP_TRANSVERSE:
    return jk_op_orient(in, out, 7);
  case JK_OP_ORIENT:
    return jk_op_orient(in, out, (int)rec[1]);
  case JK_OP_ADJUST:
    return jk_op_adjust(in, out, rec[1], rec[2]);
  default: /* JK_OP_CONVERT, checked by op_output */
    return jk_op_convert(in, out);
  }
}

/* Runs the ops on *img; `owned` says whether img->data is a malloc'ed buffer to free once used, and is updated. */
static int run_ops(jk_img *img, int *owned, const double *ops, int n_ops) {
  int i, rc;
  for (i = 0; i < n_ops; i++) {
    const double *rec = ops + (size_t)i * JK_OP_FIELDS;
    jk_img out;
    size_t bytes;
    if ((rc = op_output(rec, i, img, &out)) != JK_OK) return rc;
    bytes = jk_img_tight_bytes(out.width, out.height, out.format);
    if (bytes == 0) return jk_status_set(JK_E_TOO_LARGE, "op output does not fit in memory");
    out.data = (uint8_t *)malloc(bytes);
    if (out.data == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory for an op output");
    if ((rc = op_apply(rec, i, img, &out)) != JK_OK) {
      free(out.data);
      return rc;
    }
    if (*owned) free(img->data);
    *img = out;
    *owned = 1;
  }
  return JK_OK;
}

/* Encodes or hands over the final image; frees it when it was ours. */
static int finish(jk_img *img, int owned, const int32_t *encode, const uint8_t *icc, size_t icc_len,
                  const uint8_t *exif, size_t exif_len, uint8_t **out, size_t *out_len, int32_t *out_info) {
  int rc = JK_OK;
  out_info[JK_OUT_WIDTH] = img->width;
  out_info[JK_OUT_HEIGHT] = img->height;
  out_info[JK_OUT_FORMAT] = img->format;
  out_info[JK_OUT_STRIDE] = img->width * jk_format_row_bytes(img->format);
  if (encode != NULL) {
    rc = jk_encode(img->data, img->width, img->height, img->stride, img->format, encode[JK_ENC_QUALITY],
                   encode[JK_ENC_SUBSAMPLING], encode[JK_ENC_PROGRESSIVE], encode[JK_ENC_OPTIMIZE],
                   encode[JK_ENC_RESTART], encode[JK_ENC_ARITHMETIC], icc, icc_len, exif, exif_len, out, out_len);
    if (owned) free(img->data);
    return rc;
  }
  if (!owned || img->stride != out_info[JK_OUT_STRIDE]) {
    /* Not ours (no ops ran) or padded: a tightly packed copy. */
    jk_img copy;
    size_t bytes = jk_img_tight_bytes(img->width, img->height, img->format);
    copy = *img;
    copy.stride = out_info[JK_OUT_STRIDE];
    copy.data = bytes == 0 ? NULL : (uint8_t *)malloc(bytes);
    if (copy.data == NULL) {
      if (owned) free(img->data);
      return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory for the output");
    }
    jk_op_orient(img, &copy, 1);
    if (owned) free(img->data);
    *img = copy;
  }
  *out = img->data;
  *out_len = jk_img_tight_bytes(img->width, img->height, img->format);
  return JK_OK;
}

static int check_outputs(const double *ops, int n_ops, uint8_t **out, size_t *out_len, int32_t *out_info) {
  if (out == NULL || out_len == NULL || out_info == NULL)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "missing output buffer");
  *out = NULL;
  *out_len = 0;
  if (n_ops < 0 || (n_ops > 0 && ops == NULL)) return jk_status_set(JK_E_INVALID_ARGUMENT, "bad op list");
  return JK_OK;
}

int jk_ops_run(const uint8_t *src, int width, int height, int stride, int format, const double *ops, int n_ops,
               const int32_t *encode, const uint8_t *icc, size_t icc_len, const uint8_t *exif, size_t exif_len,
               uint8_t **out, size_t *out_len, int32_t *out_info) {
  jk_img img;
  int owned = 0, rc;
  jk_status_reset();
  if ((rc = check_outputs(ops, n_ops, out, out_len, out_info)) != JK_OK) return rc;
  if ((rc = jk_img_make(&img, src, width, height, stride, format)) != JK_OK) return rc;
  if ((rc = run_ops(&img, &owned, ops, n_ops)) != JK_OK) {
    if (owned) free(img.data);
    return rc;
  }
  return finish(&img, owned, encode, icc, icc_len, exif, exif_len, out, out_len, out_info);
}

int jk_pipeline(const uint8_t *jpeg, size_t len, int scale_num, int format, const double *ops, int n_ops,
                const int32_t *encode, const uint8_t *icc, size_t icc_len, const uint8_t *exif, size_t exif_len,
                uint8_t **out, size_t *out_len, int32_t *out_info) {
  int32_t info[JK_INFO_FIELDS];
  jk_img img;
  size_t bytes;
  int owned = 1, rc;
  jk_status_reset();
  if ((rc = check_outputs(ops, n_ops, out, out_len, out_info)) != JK_OK) return rc;
  if (!jk_format_valid(format)) return jk_status_set(JK_E_INVALID_ARGUMENT, "unknown pixel format");
  if ((rc = jk_decode_info(jpeg, len, scale_num, 0, 0, 0, 0, info)) != JK_OK) return rc;
  img.width = info[JK_INFO_OUT_WIDTH];
  img.height = info[JK_INFO_OUT_HEIGHT];
  img.format = format;
  img.stride = img.width * jk_format_row_bytes(format);
  bytes = jk_img_tight_bytes(img.width, img.height, format);
  if (bytes == 0) return jk_status_set(JK_E_TOO_LARGE, "decoded image does not fit in memory");
  img.data = (uint8_t *)malloc(bytes);
  if (img.data == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory for the decoded image");
  rc = jk_decode(jpeg, len, format, scale_num, 0, 0, 0, 0, img.data, bytes, img.stride, 0);
  if (rc != JK_OK) {
    free(img.data);
    return rc < 0 ? rc : jk_status_set(JK_E_CORRUPT, "decode was partial");
  }
  jk_status_reset();
  if ((rc = run_ops(&img, &owned, ops, n_ops)) != JK_OK) {
    free(img.data);
    return rc;
  }
  return finish(&img, owned, encode, icc, icc_len, exif, exif_len, out, out_len, out_info);
}
