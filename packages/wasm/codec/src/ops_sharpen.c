/*
 * Unsharp mask (core's sharpen.ts): per colour channel, blur = the separable Gaussian of radius ceil(3σ)
 * (horizontal pass first into float rows, then vertical, edges replicated, never rounded), then
 * out = v + amount · (v − blur) where |v − blur| > threshold, else v; rounded. Alpha is copied. The vertical pass
 * keeps a ring of 2r + 1 horizontally blurred rows, so memory is O(width · r), not a whole float plane.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jk_internal.h"
#include "ops_internal.h"
#include "ops_kernels.h"

/* core's gaussianWeights: exp(−k² / 2σ²) for k = −r..r, normalised in double, stored as float. */
static float *gaussian_weights(double sigma, int *radius) {
  int r = (int)ceil(3 * sigma), k;
  double *w = (double *)malloc((size_t)(2 * r + 1) * sizeof(double));
  float *out = (float *)malloc((size_t)(2 * r + 1) * sizeof(float));
  double sum = 0;
  if (w == NULL || out == NULL) {
    free(w);
    free(out);
    return NULL;
  }
  for (k = -r; k <= r; k++) {
    w[k + r] = exp(-(double)(k * k) / (2 * sigma * sigma));
    sum += w[k + r];
  }
  for (k = 0; k <= 2 * r; k++) out[k] = (float)(w[k] / sum);
  free(w);
  *radius = r;
  return out;
}

int jk_op_sharpen(const jk_img *src, const jk_img *dst, double sigma, double amount, double threshold) {
  jk_chans sc, dc;
  float *weights, *pad = NULL, *ring = NULL;
  double *acc = NULL;
  int *tag = NULL;
  const float **rows = NULL;
  int r, taps, ring_rows, c, y, k, x;
  const int width = src->width, height = src->height;
  if (!(sigma >= 0.3 && sigma <= 10)) return jk_status_set(JK_E_INVALID_ARGUMENT, "sigma must be 0.3..10");
  if (!(amount >= 0 && amount <= 10)) return jk_status_set(JK_E_INVALID_ARGUMENT, "amount must be 0..10");
  if (!(threshold >= 0 && threshold <= 255)) return jk_status_set(JK_E_INVALID_ARGUMENT, "threshold must be 0..255");
  if (dst->width != width || dst->height != height || dst->format != src->format)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "sharpen output does not match its input");
  jk_img_chans(src, &sc);
  jk_img_chans(dst, &dc);
  weights = gaussian_weights(sigma, &r);
  if (weights == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory for sharpen weights");
  taps = 2 * r + 1;
  ring_rows = taps < height ? taps : height;
  pad = (float *)malloc(jk_mul_size((size_t)width + (size_t)taps, sizeof(float)));
  ring = (float *)malloc(jk_mul_size(jk_mul_size((size_t)width, (size_t)ring_rows), sizeof(float)));
  acc = (double *)malloc(jk_mul_size((size_t)width, sizeof(double)));
  tag = (int *)malloc((size_t)ring_rows * sizeof(int));
  rows = (const float **)malloc((size_t)taps * sizeof(float *));
  if (pad == NULL || ring == NULL || acc == NULL || tag == NULL || rows == NULL) {
    free((void *)rows);
    free(weights);
    free(pad);
    free(ring);
    free(acc);
    free(tag);
    return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory for sharpen buffers");
  }

  for (c = 0; c < sc.count; c++) {
    const uint8_t *splane = src->data + sc.base[c];
    uint8_t *dplane = dst->data + dc.base[c];
    if (c == sc.alpha) {
      for (y = 0; y < height; y++) {
        const uint8_t *s = splane + (size_t)y * (size_t)src->stride;
        uint8_t *d = dplane + (size_t)y * (size_t)dst->stride;
        for (x = 0; x < width; x++) d[(size_t)x * (size_t)dc.step] = s[(size_t)x * (size_t)sc.step];
      }
      continue;
    }
    for (k = 0; k < ring_rows; k++) tag[k] = -1;
    for (y = 0; y < height; y++) {
      for (k = -r; k <= r; k++) {
        const int sy = y + k < 0 ? 0 : y + k > height - 1 ? height - 1 : y + k, slot = sy % ring_rows;
        float *mid = ring + (size_t)slot * (size_t)width;
        if (tag[slot] != sy) {
          /* Row sy of the channel, its edges replicated r samples out, then blurred horizontally. */
          jk_k_pad_row(splane + (size_t)sy * (size_t)src->stride, sc.step, width, r, pad);
          jk_k_convolve_row(pad, weights, taps, mid, width);
          tag[slot] = sy;
        }
        rows[k + r] = mid;
      }
      jk_k_vsum(rows, weights, taps, acc, (size_t)width);
      jk_k_unsharp_row(splane + (size_t)y * (size_t)src->stride, sc.step, acc, width, amount, threshold,
                       dplane + (size_t)y * (size_t)dst->stride, dc.step);
    }
  }
  free(weights);
  free(pad);
  free(ring);
  free(acc);
  free(tag);
  free((void *)rows);
  return JK_OK;
}

int jk_ops_sharpen(const uint8_t *src, int width, int height, int stride, int format, uint8_t *dst, int dst_stride,
                   double sigma, double amount, double threshold) {
  jk_img s, d;
  int rc;
  jk_status_reset();
  if ((rc = jk_img_make(&s, src, width, height, stride, format)) != JK_OK) return rc;
  if ((rc = jk_img_make(&d, dst, width, height, dst_stride, format)) != JK_OK) return rc;
  return jk_op_sharpen(&s, &d, sigma, amount, threshold);
}
