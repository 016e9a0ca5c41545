/*
 * jpegkit wasm codec: pixel operations exported to JavaScript (the C side of src/ops-module.ts).
 *
 * Every op equals @jpegkit/core's reference op (packages/core/src/ops) within ±1 per channel, and in practice
 * bit for bit: the same weights (computed in double, stored as float), the same float intermediates and double
 * accumulations in the same order, the same floor(x + 0.5) rounding.
 *
 * Images are 8-bit, in wasm memory: `width` × `height` pixels, rows `stride` bytes apart, in a jk_format (planar
 * formats: three planes of stride × height bytes, back to back). An op writes a new image into `dst` (rows
 * `dst_stride` bytes apart; planes dst_stride × output height apart) that must not overlap `src`. The output's
 * size is for the caller to know (see each op); resize takes the geometry @jpegkit/core's resolveResize computes.
 * Returns JK_OK or a negative JK_E_* code (jk_last_error() tells what happened).
 */
#ifndef JK_OPS_H
#define JK_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "jk.h"

/* Resize filters, in the order of @jpegkit/core's RESIZE_FILTERS. */
enum jk_filter {
  JK_FILTER_NEAREST = 0,
  JK_FILTER_BILINEAR = 1,
  JK_FILTER_MITCHELL = 2,
  JK_FILTER_CATMULL_ROM = 3,
  JK_FILTER_LANCZOS3 = 4,
  JK_FILTER_BOX = 5
};

/*
 * Op lists for jk_ops_run / jk_pipeline: records of JK_OP_FIELDS doubles, field 0 the kind, then
 *   JK_OP_RESIZE     filter, linear, resize_width, resize_height, width, height, crop_x, crop_y, pad_x, pad_y,
 *                    background (R | G << 8 | B << 16 | A << 24, as a non-negative double)
 *   JK_OP_SHARPEN    sigma, amount, threshold
 *   JK_OP_CROP       x, y, width, height
 *   JK_OP_ROTATE     angle (90, 180, 270; clockwise)
 *   JK_OP_FLIP, JK_OP_FLOP, JK_OP_TRANSPOSE, JK_OP_TRANSVERSE   (no fields)
 *   JK_OP_ORIENT     EXIF orientation 1..8 (the transform that makes it upright)
 *   JK_OP_ADJUST     brightness, contrast
 *   JK_OP_CONVERT    jk_format
 * Unused fields are ignored. Integer fields must hold integers.
 */
enum jk_op_kind {
  JK_OP_RESIZE = 1,
  JK_OP_SHARPEN = 2,
  JK_OP_CROP = 3,
  JK_OP_ROTATE = 4,
  JK_OP_FLIP = 5,
  JK_OP_FLOP = 6,
  JK_OP_ORIENT = 7,
  JK_OP_ADJUST = 8,
  JK_OP_CONVERT = 9,
  JK_OP_TRANSPOSE = 10,
  JK_OP_TRANSVERSE = 11
};
#define JK_OP_FIELDS 12

/* jk_ops_run / jk_pipeline: int32_t encode[JK_ENC_FIELDS] (NULL: return pixels instead of a JPEG). */
enum jk_encode_field {
  JK_ENC_QUALITY = 0,
  JK_ENC_SUBSAMPLING = 1, /* jk_subsampling */
  JK_ENC_PROGRESSIVE = 2,
  JK_ENC_OPTIMIZE = 3,
  JK_ENC_RESTART = 4,
  JK_ENC_ARITHMETIC = 5,
  JK_ENC_FIELDS = 6
};

/* jk_ops_run / jk_pipeline: what they write into int32_t out_info[JK_OUT_FIELDS]. */
enum jk_out_field {
  JK_OUT_WIDTH = 0, /* of the final image (also when it was encoded) */
  JK_OUT_HEIGHT = 1,
  JK_OUT_FORMAT = 2,
  JK_OUT_STRIDE = 3, /* pixel output: tightly packed rows */
  JK_OUT_FIELDS = 4
};

/* ---- resize (ops_resize.c, weights in ops_contrib.c) ---- */

/* Resamples src whole to resize_width × resize_height with `filter` (premultiplied alpha for rgba/bgra; in linear
 * light when `linear`), then shows it in an out_width × out_height window: output (x, y) is resampled
 * (x + crop_x − pad_x, y + crop_y − pad_y), background (R | G << 8 | B << 16 | A << 24, as core's
 * backgroundSamples maps it to the format) outside. The fields are those of core's resolveResize. */
JK_EXPORT int jk_ops_resize(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                            int dst_stride, int filter, int linear, int resize_width, int resize_height,
                            int out_width, int out_height, int crop_x, int crop_y, int pad_x, int pad_y,
                            uint32_t background);

/* ---- sharpen (ops_sharpen.c): unsharp mask, same size; sigma 0.3..10, amount 0..10, threshold 0..255 ---- */
JK_EXPORT int jk_ops_sharpen(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                             int dst_stride, double sigma, double amount, double threshold);

/* ---- geometry (ops_geometry.c): pure pixel copies ---- */
/* crop_w × crop_h. */
JK_EXPORT int jk_ops_crop(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                          int dst_stride, int x, int y, int crop_w, int crop_h);
/* angle 90, 180 or 270 clockwise; 90 and 270 give height × width. */
JK_EXPORT int jk_ops_rotate(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                            int dst_stride, int angle);
/* Top-bottom mirror. */
JK_EXPORT int jk_ops_flip(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                          int dst_stride);
/* Left-right mirror. */
JK_EXPORT int jk_ops_flop(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                          int dst_stride);
/* The transform that makes EXIF orientation 1..8 upright; 5..8 give height × width. */
JK_EXPORT int jk_ops_orient(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                            int dst_stride, int orientation);

/* ---- adjust (ops_adjust.c): brightness −1..1, contrast 0..4, alpha untouched ---- */
JK_EXPORT int jk_ops_adjust(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                            int dst_stride, double brightness, double contrast);

/* ---- convert (ops_convert.c): any jk_format to any other; gray from libjpeg's luma ---- */
JK_EXPORT int jk_ops_convert(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst,
                             int dst_stride, int dst_format);

/* ---- pipelines (ops_pipeline.c) ---- */

/* Applies n_ops op records to the image, then encodes it like jk_encode (encode != NULL; icc/exif as there) or
 * returns the pixels, tightly packed. *out is a buffer the caller releases with jk_free; out_info gets the final
 * geometry. Intermediate images live only in wasm memory and are freed before returning. */
JK_EXPORT int jk_ops_run(const uint8_t *src, int width, int height, int stride, int format, const double *ops,
                         int n_ops, const int32_t *encode, const uint8_t *icc, size_t icc_len, const uint8_t *exif,
                         size_t exif_len, uint8_t **out, size_t *out_len, int32_t *out_info);

/* Decodes the JPEG like jk_decode (scale_num/8, strict) into `format`, then runs like jk_ops_run: a thumbnail in
 * one call, the pixels never leaving wasm memory. */
JK_EXPORT int jk_pipeline(const uint8_t *jpeg, size_t len, int scale_num, int format, const double *ops, int n_ops,
                          const int32_t *encode, const uint8_t *icc, size_t icc_len, const uint8_t *exif,
                          size_t exif_len, uint8_t **out, size_t *out_len, int32_t *out_info);

#endif /* JK_OPS_H */
