/*
 * Resize (core's resize.ts + fit.ts): the source resampled whole to resize_width × resize_height, shown through
 * the output window (cover's crop, contain's padding). Only the resampled pixels the window shows are computed:
 * the horizontal pass runs over the visible columns, the vertical pass over the visible rows, each input row
 * filtered horizontally once into a ring of float rows as the vertical windows move down.
 */
#include <stdlib.h>
#include <string.h>

#include "jk_internal.h"
#include "ops_internal.h"
#include "ops_kernels.h"

/* Where the resampled image shows in the output: output columns [x0, x1), rows [y0, y1); empty when x1 <= x0. */
typedef struct jk_window {
  int x0, x1, y0, y1;
  int dx, dy; /* resampled coordinate = output coordinate + (dx, dy) */
} jk_window;

static void window_of(const jk_resize_params *p, jk_window *w) {
  w->dx = p->crop_x - p->pad_x;
  w->dy = p->crop_y - p->pad_y;
  w->x0 = -w->dx > 0 ? -w->dx : 0;
  w->y0 = -w->dy > 0 ? -w->dy : 0;
  w->x1 = p->resize_width - w->dx < p->width ? p->resize_width - w->dx : p->width;
  w->y1 = p->resize_height - w->dy < p->height ? p->resize_height - w->dy : p->height;
  if (w->x1 < w->x0) w->x1 = w->x0;
  if (w->y1 < w->y0) w->y1 = w->y0;
}

static int check_params(const jk_img *src, const jk_img *dst, const jk_resize_params *p) {
  if (p->filter < JK_FILTER_NEAREST || p->filter > JK_FILTER_BOX)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "unknown resize filter");
  if (p->resize_width <= 0 || p->resize_height <= 0 || p->width <= 0 || p->height <= 0)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "resize sizes must be positive");
  if (p->resize_width > (1 << 30) || p->resize_height > (1 << 30))
    return jk_status_set(JK_E_TOO_LARGE, "resize size too large");
  if (dst->width != p->width || dst->height != p->height || dst->format != src->format)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "resize output does not match its geometry");
  /* As core's resizeFit: a crop inside the resampled image, a pad inside the box. */
  if (p->crop_x < 0 || p->crop_y < 0 || p->pad_x < 0 || p->pad_y < 0 ||
      p->crop_x > (p->resize_width > p->width ? p->resize_width - p->width : 0) ||
      p->crop_y > (p->resize_height > p->height ? p->resize_height - p->height : 0) ||
      p->pad_x > (p->width > p->resize_width ? p->width - p->resize_width : 0) ||
      p->pad_y > (p->height > p->resize_height ? p->height - p->resize_height : 0))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "resize crop/pad offsets outside the image");
  return JK_OK;
}

/* Background everywhere outside the window. */
static void fill_background(const jk_img *dst, const jk_chans *dc, const jk_window *w, const uint8_t fill[4]) {
  int c, y, x;
  for (c = 0; c < dc->count; c++) {
    for (y = 0; y < dst->height; y++) {
      uint8_t *row = dst->data + dc->base[c] + (size_t)y * (size_t)dst->stride;
      int inside = y >= w->y0 && y < w->y1 && w->x1 > w->x0;
      for (x = 0; x < dst->width; x++) {
        if (inside && x == w->x0) {
          x = w->x1 - 1;
          continue;
        }
        row[(size_t)x * (size_t)dc->step] = fill[c];
      }
    }
  }
}

/* The window straight from the source (the resampled size is the source size). */
static void copy_window(const jk_img *src, const jk_img *dst, const jk_chans *sc, const jk_chans *dc,
                        const jk_window *w) {
  int planes = jk_format_planar(src->format) ? 3 : 1, p, y;
  int bpp = jk_format_row_bytes(src->format);
  for (p = 0; p < planes; p++)
    for (y = w->y0; y < w->y1; y++) {
      const uint8_t *s = src->data + sc->base[p] + (size_t)(y + w->dy) * (size_t)src->stride +
                         (size_t)(w->x0 + w->dx) * (size_t)bpp;
      uint8_t *d = dst->data + dc->base[p] + (size_t)y * (size_t)dst->stride + (size_t)w->x0 * (size_t)bpp;
      jk_k_gather_row(s, bpp, d, (size_t)(w->x1 - w->x0), bpp);
    }
}

typedef struct jk_resampler {
  jk_contrib h, v;
  float *row;   /* one input row as float, src width × ch */
  float *ring;  /* rows of horizontally filtered samples, ring_rows × n × ch */
  int *tag;     /* input row each ring slot holds, -1: none */
  double *acc;  /* one output row being summed, n × ch */
  const float **rows; /* the ring rows of one vertical window */
  int ring_rows;
} jk_resampler;

static void resampler_free(jk_resampler *r) {
  jk_contrib_free(&r->h);
  jk_contrib_free(&r->v);
  free(r->row);
  free(r->ring);
  free(r->tag);
  free(r->acc);
  free((void *)r->rows);
}

static int resample_window(const jk_img *src, const jk_img *dst, const jk_resize_params *p, const jk_chans *sc,
                           const jk_chans *dc, const jk_window *w) {
  jk_resampler r;
  const int ch = sc->count, n = w->x1 - w->x0;
  const size_t row_len = (size_t)n * (size_t)ch;
  const float *lin = p->linear ? jk_srgb_to_linear_table() : NULL;
  const int rx0 = w->x0 + w->dx;
  int rc, i, y;
  memset(&r, 0, sizeof r);
  if ((rc = jk_contrib_init(&r.h, src->width, p->resize_width, p->filter)) != JK_OK ||
      (rc = jk_contrib_init(&r.v, src->height, p->resize_height, p->filter)) != JK_OK) {
    resampler_free(&r);
    return rc;
  }
  r.ring_rows = r.v.taps;
  r.row = (float *)malloc(jk_mul_size((size_t)src->width * (size_t)ch, sizeof(float)));
  r.ring = (float *)malloc(jk_mul_size(jk_mul_size(row_len, (size_t)r.ring_rows), sizeof(float)));
  r.tag = (int *)malloc((size_t)r.ring_rows * sizeof(int));
  r.acc = (double *)malloc(jk_mul_size(row_len, sizeof(double)));
  r.rows = (const float **)malloc((size_t)r.ring_rows * sizeof(float *));
  if (r.row == NULL || r.ring == NULL || r.tag == NULL || r.acc == NULL || r.rows == NULL) {
    resampler_free(&r);
    return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory for resize buffers");
  }
  for (i = 0; i < r.ring_rows; i++) r.tag[i] = -1;

  for (y = w->y0; y < w->y1; y++) {
    const int ry = y + w->dy, start = r.v.start[ry], count = r.v.count[ry];
    const float *vw = r.v.weights + (size_t)ry * (size_t)r.v.taps;
    uint8_t *out[4];
    int k, c;
    for (k = 0; k < count; k++) {
      const int sy = start + k, slot = sy % r.ring_rows;
      float *mid = r.ring + (size_t)slot * row_len;
      if (r.tag[slot] != sy) {
        const uint8_t *in[4] = {NULL, NULL, NULL, NULL};
        for (c = 0; c < ch; c++) in[c] = src->data + sc->base[c] + (size_t)sy * (size_t)src->stride;
        jk_k_load_row(in, sc->step, ch, sc->alpha, lin, r.row, src->width);
        jk_k_resample_h(r.row, ch, r.h.start + rx0, r.h.count + rx0, r.h.weights + (size_t)rx0 * (size_t)r.h.taps,
                        r.h.taps, n, mid);
        r.tag[slot] = sy;
      }
      r.rows[k] = mid;
    }
    jk_k_vsum(r.rows, vw, count, r.acc, row_len);
    for (c = 0; c < 4; c++) out[c] = NULL;
    for (c = 0; c < ch; c++)
      out[c] = dst->data + dc->base[c] + (size_t)y * (size_t)dst->stride + (size_t)w->x0 * (size_t)dc->step;
    jk_k_store_row(r.acc, ch, sc->alpha, p->linear, out, dc->step, n);
  }
  resampler_free(&r);
  return JK_OK;
}

int jk_op_resize(const jk_img *src, const jk_img *dst, const jk_resize_params *p) {
  jk_chans sc, dc;
  jk_window w;
  uint8_t fill[4];
  int rc;
  if ((rc = check_params(src, dst, p)) != JK_OK) return rc;
  jk_img_chans(src, &sc);
  jk_img_chans(dst, &dc);
  window_of(p, &w);
  jk_background_samples(p->background, dst->format, fill);
  fill_background(dst, &dc, &w, fill);
  if (w.x1 <= w.x0 || w.y1 <= w.y0) return JK_OK;
  if (p->resize_width == src->width && p->resize_height == src->height) {
    copy_window(src, dst, &sc, &dc, &w);
    return JK_OK;
  }
  return resample_window(src, dst, p, &sc, &dc, &w);
}

int jk_ops_resize(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst, int dst_stride,
                  int filter, int linear, int resize_width, int resize_height, int out_width, int out_height,
                  int crop_x, int crop_y, int pad_x, int pad_y, uint32_t background) {
  jk_img s, d;
  jk_resize_params p;
  int rc;
  jk_status_reset();
  if ((rc = jk_img_make(&s, src, width, height, stride, format)) != JK_OK) return rc;
  if ((rc = jk_img_make(&d, dst, out_width, out_height, dst_stride, format)) != JK_OK) return rc;
  p.filter = filter;
  p.linear = linear != 0;
  p.resize_width = resize_width;
  p.resize_height = resize_height;
  p.width = out_width;
  p.height = out_height;
  p.crop_x = crop_x;
  p.crop_y = crop_y;
  p.pad_x = pad_x;
  p.pad_y = pad_y;
  p.background[0] = (uint8_t)(background & 0xFF);
  p.background[1] = (uint8_t)((background >> 8) & 0xFF);
  p.background[2] = (uint8_t)((background >> 16) & 0xFF);
  p.background[3] = (uint8_t)(background >> 24);
  return jk_op_resize(&s, &d, &p);
}
