/* Declarations shared by the pixel-op translation units (ops_*.c); nothing here is exported to JavaScript. */
#ifndef JK_OPS_INTERNAL_H
#define JK_OPS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "jk_ops.h"

/* An 8-bit image in wasm memory (see jk_ops.h for the layout). */
typedef struct jk_img {
  uint8_t *data;
  int width, height, stride, format;
} jk_img;

/* Where the channels of an image lie: sample (x, y) of channel c is at data + base[c] + y * stride + x * step. */
typedef struct jk_chans {
  int count; /* channels: 1, 3 or 4 */
  int alpha; /* index of alpha, -1 when none */
  int step;  /* bytes from one pixel to the next within a row */
  size_t base[4];
} jk_chans;

/* ---- ops_image.c ---- */

/* Builds an image descriptor and checks it (format, positive size, stride at least a row); records the error. */
int jk_img_make(jk_img *img, const uint8_t *data, int width, int height, int stride, int format);
void jk_img_chans(const jk_img *img, jk_chans *c);
/* Bytes a tightly packed width × height image of `format` takes (planar: 3 planes), 0 on overflow. */
size_t jk_img_tight_bytes(int width, int height, int format);
/* n * size, or 0 when it overflows (or either is 0). */
size_t jk_mul_size(size_t n, size_t size);
/* The samples `format` stores for an RGBA background (core's backgroundSamples): RGB reordered, alpha kept for
 * rgba/bgra, gray the libjpeg luma. */
void jk_background_samples(const uint8_t rgba[4], int format, uint8_t out[4]);

/* ---- ops_srgb.c: the exact sRGB curve, 0–255 units on both sides (core's srgb.ts) ---- */
double jk_srgb_to_linear(double v);
double jk_linear_to_srgb(double v); /* clamps to 0–255 first; not rounded */
/* (float)jk_srgb_to_linear(v) for v = 0..255. */
const float *jk_srgb_to_linear_table(void);

/* ---- ops_contrib.c: contribution tables (core's contributions.ts) ---- */
typedef struct jk_contrib {
  int src_size, dst_size;
  int taps;        /* row length of weights (at least the largest count) */
  int32_t *start;  /* dst_size first inputs */
  int32_t *count;  /* dst_size input counts (≥ 1) */
  float *weights;  /* dst_size × taps, each row's first count weights normalised to sum to 1 */
} jk_contrib;

int jk_contrib_init(jk_contrib *t, int src_size, int dst_size, int filter); /* JK_OK or an error */
void jk_contrib_free(jk_contrib *t);

/* ---- the ops, on checked images; dst has the op's output size and format, allocated by the caller ---- */

typedef struct jk_resize_params {
  int filter, linear;
  int resize_width, resize_height;
  int width, height; /* output */
  int crop_x, crop_y, pad_x, pad_y;
  uint8_t background[4]; /* RGBA */
} jk_resize_params;

int jk_op_resize(const jk_img *src, const jk_img *dst, const jk_resize_params *p);
int jk_op_sharpen(const jk_img *src, const jk_img *dst, double sigma, double amount, double threshold);
/* dst (x, y) = src (x0 + ax·x + bx·y, y0 + ay·x + by·y); the caller guarantees every mapped pixel is inside. */
void jk_op_remap(const jk_img *src, const jk_img *dst, int x0, int ax, int bx, int y0, int ay, int by);
/* Output size of the EXIF orientation transform, and the transform itself; 0 for an orientation out of 1..8. */
int jk_orient_size(int orientation, int width, int height, int *out_w, int *out_h);
int jk_op_orient(const jk_img *src, const jk_img *dst, int orientation);
int jk_op_crop(const jk_img *src, const jk_img *dst, int x, int y);
int jk_op_adjust(const jk_img *src, const jk_img *dst, double brightness, double contrast);
int jk_op_convert(const jk_img *src, const jk_img *dst);

#endif /* JK_OPS_INTERNAL_H */
