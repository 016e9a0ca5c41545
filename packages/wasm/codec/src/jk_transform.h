/*
 * jpegkit wasm codec: lossless transforms (transform.c, jpegtran's job through libjpeg-turbo's transupp.c) and
 * DCT-coefficient planes (coefficients.c). Same conventions as jk.h: JK_OK or a negative JK_E_* code, with
 * jk_last_error() telling what happened; output buffers are malloc'ed and released with jk_free.
 */
#ifndef JK_TRANSFORM_H
#define JK_TRANSFORM_H

#include "jk.h"

/* Version of the functions and layouts in this header; JS checks it next to jk_abi_version(). */
#define JK_TRANSFORM_ABI_VERSION 1

/* ---- lossless transforms (transform.c) ---- */

/* Geometric operation: the values of transupp.h's JXFORM_CODE. */
enum jk_xform_op {
  JK_XFORM_NONE = 0,
  JK_XFORM_FLIP_H = 1,     /* jpegtran -flip horizontal */
  JK_XFORM_FLIP_V = 2,     /* jpegtran -flip vertical */
  JK_XFORM_TRANSPOSE = 3,  /* jpegtran -transpose */
  JK_XFORM_TRANSVERSE = 4, /* jpegtran -transverse */
  JK_XFORM_ROT_90 = 5,     /* jpegtran -rotate 90 (clockwise) */
  JK_XFORM_ROT_180 = 6,
  JK_XFORM_ROT_270 = 7
};

/* jk_transform flags. */
enum jk_xform_flag {
  JK_XF_TRIM = 1,        /* -trim: drop partial edge iMCUs; without it an imperfect transform is JK_E_UNSUPPORTED
                            (-perfect) */
  JK_XF_GRAY = 2,        /* -grayscale */
  JK_XF_OPTIMIZE = 4,    /* -optimize */
  JK_XF_PROGRESSIVE = 8, /* -progressive */
  JK_XF_SEQUENTIAL = 16, /* sequential output; with neither flag the output is progressive iff the input is */
  JK_XF_ARITHMETIC = 32  /* -arithmetic */
};

/* Which markers to copy: jpegtran -copy none / icc / all. */
enum jk_xform_copy { JK_COPY_NONE = 0, JK_COPY_ICC = 1, JK_COPY_ALL = 2 };

/* Transforms a JPEG losslessly like jpegtran: the source is read as DCT coefficients, cropped and transformed
 * with transupp, and written with the same parameter sequence as jpegtran (so the same settings give identical
 * bytes). Corrupt-data warnings are errors (jpegtran -strict).
 *
 * crop_w == 0 means no crop. The crop rectangle is in SOURCE coordinates (the crop applies before the geometric
 * operation); it is mapped to the output's coordinates and given to transupp as jpegtran's
 * -crop W'xH'+X'+Y' would, so its top-left corner moves up/left to the output's iMCU grid.
 * restart_interval is in MCUs (-restart NB), restart_rows in MCU rows (-restart N, wins when > 0).
 * copy is a jk_xform_copy. On success *out is a buffer the caller releases with jk_free. */
JK_EXPORT int jk_transform(const uint8_t *src, size_t len, int op, int crop_x, int crop_y, int crop_w, int crop_h,
                           int flags, int restart_interval, int restart_rows, int copy, uint8_t **out,
                           size_t *out_len);

/* ---- DCT coefficients (coefficients.c) ----
 *
 * One buffer holds a frame: a header of JK_COEF_HEADER_FIELDS int32, then per component a record of
 * JK_COEF_COMP_FIELDS int32 followed by its quantisation table (64 int32, natural order), then the coefficient
 * planes: per component blocks_per_row * block_rows blocks of 64 int16 (natural order), blocks row-major, at
 * data_offset bytes from the start of the buffer (16-byte aligned). The planes are the grids libjpeg stores:
 * padded to whole MCUs (blocks_per_row = width_in_blocks rounded up to h, block_rows = height_in_blocks rounded
 * up to v); the blocks past width_in_blocks / height_in_blocks lie outside the image. */
enum jk_coef_header_field {
  JK_COEF_WIDTH = 0,
  JK_COEF_HEIGHT = 1,
  JK_COEF_COMPONENTS = 2,
  JK_COEF_COLOR_SPACE = 3, /* libjpeg's J_COLOR_SPACE of the JPEG data: 0 unknown, 1 gray, 2 RGB, 3 YCbCr, 4 CMYK,
                              5 YCCK */
  JK_COEF_PROGRESSIVE = 4,
  JK_COEF_RESTART_INTERVAL = 5, /* in MCUs, as in the last DRI */
  JK_COEF_ARITHMETIC = 6,
  JK_COEF_MAX_H = 7,
  JK_COEF_MAX_V = 8,
  JK_COEF_TOTAL_BYTES = 9, /* size of the whole buffer */
  JK_COEF_HEADER_FIELDS = 16
};

enum jk_coef_comp_field {
  JK_COEF_C_ID = 0,
  JK_COEF_C_H = 1,
  JK_COEF_C_V = 2,
  JK_COEF_C_WIDTH_IN_BLOCKS = 3,
  JK_COEF_C_HEIGHT_IN_BLOCKS = 4,
  JK_COEF_C_BLOCKS_PER_ROW = 5,
  JK_COEF_C_BLOCK_ROWS = 6,
  JK_COEF_C_QUANT_TBL_NO = 7, /* read only; jk_coef_write assigns table slots itself */
  JK_COEF_C_DATA_OFFSET = 8,
  JK_COEF_C_DATA_COUNT = 9, /* int16 values: blocks_per_row * block_rows * 64 */
  JK_COEF_COMP_FIELDS = 16,
  JK_COEF_COMP_RECORD = JK_COEF_COMP_FIELDS + 64 /* int32 per component: the fields, then the quant table */
};

/* Reads the quantised DCT coefficients of every component (jpeg_read_coefficients) into a new buffer laid out as
 * above; *out is released with jk_free. Corrupt-data warnings are errors. */
JK_EXPORT int jk_coef_read(const uint8_t *src, size_t len, uint8_t **out, size_t *out_len);

/* Writes a JPEG from a buffer laid out as above (width, height, components, color space, per component id, h, v,
 * blocks_per_row, block_rows, data_offset, data_count and the quant table; the other fields are ignored) with
 * jpeg_write_coefficients: Huffman coding (optimised when optimize != 0), simple progression when progressive != 0,
 * restart_interval in MCUs. Components with equal quant tables share a table slot (at most 4 distinct tables). */
JK_EXPORT int jk_coef_write(const uint8_t *frame, size_t frame_len, int optimize, int progressive,
                            int restart_interval, uint8_t **out, size_t *out_len);

JK_EXPORT int jk_transform_abi_version(void);

#endif /* JK_TRANSFORM_H */
