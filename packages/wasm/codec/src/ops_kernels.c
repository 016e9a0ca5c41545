/* Scalar row kernels of the pixel ops (see ops_kernels.h). */
#include <math.h>
#include <string.h>

#include "ops_internal.h"
#include "ops_kernels.h"

void jk_k_load_row(const uint8_t *const chan[4], int step, int ch, int alpha, const float *lin, float *row,
                   int n) {
  int c, x;
  for (c = 0; c < ch; c++) {
    const uint8_t *s = chan[c];
    float *o = row + c;
    if (lin != NULL && c != alpha)
      for (x = 0; x < n; x++, s += step, o += ch) *o = lin[*s];
    else
      for (x = 0; x < n; x++, s += step, o += ch) *o = (float)*s;
  }
  if (alpha >= 0) {
    for (x = 0; x < n; x++) {
      float *p = row + (size_t)x * (size_t)ch;
      double a = (double)p[alpha] / 255;
      for (c = 0; c < ch; c++)
        if (c != alpha) p[c] = (float)((double)p[c] * a);
    }
  }
}

/* Output d of the horizontal pass for ch channels (generic, one sum per channel). */
static void resample_one(const float *row, int ch, int32_t start, int32_t count, const float *w, float *out) {
  int c, k;
  for (c = 0; c < ch; c++) {
    const float *p = row + (size_t)start * (size_t)ch + c;
    double s = 0;
    for (k = 0; k < count; k++, p += ch) s += (double)w[k] * *p;
    out[c] = (float)s;
  }
}

/* Outputs d and d + 1 (equal tap count) for 3 channels: six independent sums, each in k order. */
static void resample_pair3(const float *p, const float *q, const float *wp, const float *wq, int count, float *out) {
  double a0 = 0, a1 = 0, a2 = 0, b0 = 0, b1 = 0, b2 = 0;
  int k;
  for (k = 0; k < count; k++, p += 3, q += 3) {
    const double u = wp[k], v = wq[k];
    a0 += u * p[0];
    a1 += u * p[1];
    a2 += u * p[2];
    b0 += v * q[0];
    b1 += v * q[1];
    b2 += v * q[2];
  }
  out[0] = (float)a0;
  out[1] = (float)a1;
  out[2] = (float)a2;
  out[3] = (float)b0;
  out[4] = (float)b1;
  out[5] = (float)b2;
}

/* The same for 4 channels. */
static void resample_pair4(const float *p, const float *q, const float *wp, const float *wq, int count, float *out) {
  double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  int k;
  for (k = 0; k < count; k++, p += 4, q += 4) {
    const double u = wp[k], v = wq[k];
    a0 += u * p[0];
    a1 += u * p[1];
    a2 += u * p[2];
    a3 += u * p[3];
    b0 += v * q[0];
    b1 += v * q[1];
    b2 += v * q[2];
    b3 += v * q[3];
  }
  out[0] = (float)a0;
  out[1] = (float)a1;
  out[2] = (float)a2;
  out[3] = (float)a3;
  out[4] = (float)b0;
  out[5] = (float)b1;
  out[6] = (float)b2;
  out[7] = (float)b3;
}

/* Outputs d .. d + 3 (equal tap count) for 1 channel: four independent sums. */
static void resample_quad1(const float *row, const int32_t *start, const float *w, int taps, int count, float *out) {
  const float *p0 = row + start[0], *p1 = row + start[1], *p2 = row + start[2], *p3 = row + start[3];
  const float *w0 = w, *w1 = w0 + taps, *w2 = w1 + taps, *w3 = w2 + taps;
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int k;
  for (k = 0; k < count; k++) {
    s0 += (double)w0[k] * p0[k];
    s1 += (double)w1[k] * p1[k];
    s2 += (double)w2[k] * p2[k];
    s3 += (double)w3[k] * p3[k];
  }
  out[0] = (float)s0;
  out[1] = (float)s1;
  out[2] = (float)s2;
  out[3] = (float)s3;
}

void jk_k_resample_h(const float *row, int ch, const int32_t *start, const int32_t *count, const float *w,
                     int taps, int n, float *out) {
  int d = 0;
  /* Several outputs of equal tap count at a time (the interior of a row), so their sums run side by side. */
  while (d < n) {
    const float *wd = w + (size_t)d * (size_t)taps;
    float *od = out + (size_t)d * (size_t)ch;
    if (ch == 3 && d + 2 <= n && count[d] == count[d + 1]) {
      resample_pair3(row + (size_t)start[d] * 3, row + (size_t)start[d + 1] * 3, wd, wd + taps, count[d], od);
      d += 2;
    } else if (ch == 4 && d + 2 <= n && count[d] == count[d + 1]) {
      resample_pair4(row + (size_t)start[d] * 4, row + (size_t)start[d + 1] * 4, wd, wd + taps, count[d], od);
      d += 2;
    } else if (ch == 1 && d + 4 <= n && count[d] == count[d + 1] && count[d] == count[d + 2] &&
               count[d] == count[d + 3]) {
      resample_quad1(row, start + d, wd, taps, count[d], od);
      d += 4;
    } else {
      resample_one(row, ch, start[d], count[d], wd, od);
      d++;
    }
  }
}

void jk_k_vsum(const float *const *rows, const float *w, int taps, double *out, size_t n) {
  size_t i = 0;
  int k;
  /* Four outputs at a time: independent sums, each still in k order (0 + the first term, as the reference). */
  for (; i + 4 <= n; i += 4) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (k = 0; k < taps; k++) {
      const float *r = rows[k] + i;
      const double wk = w[k];
      s0 += wk * r[0];
      s1 += wk * r[1];
      s2 += wk * r[2];
      s3 += wk * r[3];
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < n; i++) {
    double s = 0;
    for (k = 0; k < taps; k++) s += (double)w[k] * rows[k][i];
    out[i] = s;
  }
}

void jk_k_store_row(const double *acc, int ch, int alpha, int linear, uint8_t *const chan[4], int step, int n) {
  int x, c;
  double px[4];
  for (x = 0; x < n; x++, acc += ch) {
    for (c = 0; c < ch; c++) px[c] = acc[c];
    if (alpha >= 0) {
      double a = px[alpha] < 0 ? 0 : px[alpha] > 255 ? 255 : px[alpha];
      for (c = 0; c < ch; c++)
        if (c != alpha) px[c] = a < 0.5 ? 0 : (px[c] * 255) / a;
    }
    for (c = 0; c < ch; c++) {
      double v = linear && c != alpha ? jk_linear_to_srgb(px[c]) : px[c];
      chan[c][(size_t)x * (size_t)step] = jk_round_byte(v);
    }
  }
}

void jk_k_pad_row(const uint8_t *src, int step, int n, int r, float *pad) {
  const float first = src[0], last = src[(size_t)(n - 1) * (size_t)step];
  float *o = pad + r;
  int i;
  for (i = 0; i < r; i++) {
    pad[i] = first;
    o[n + i] = last;
  }
  switch (step) {
  case 1:
    for (i = 0; i < n; i++) o[i] = src[i];
    break;
  case 3:
    for (i = 0; i < n; i++) o[i] = src[(size_t)i * 3];
    break;
  case 4:
    for (i = 0; i < n; i++) o[i] = src[(size_t)i * 4];
    break;
  default:
    for (i = 0; i < n; i++) o[i] = src[(size_t)i * (size_t)step];
  }
}

void jk_k_convolve_row(const float *pad, const float *w, int taps, float *out, int n) {
  int x = 0, k;
  /* Four outputs at a time: independent sums, each still in k order. */
  for (; x + 4 <= n; x += 4) {
    const float *p = pad + x;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (k = 0; k < taps; k++) {
      const double wk = w[k];
      s0 += wk * p[k];
      s1 += wk * p[k + 1];
      s2 += wk * p[k + 2];
      s3 += wk * p[k + 3];
    }
    out[x] = (float)s0;
    out[x + 1] = (float)s1;
    out[x + 2] = (float)s2;
    out[x + 3] = (float)s3;
  }
  for (; x < n; x++) {
    const float *p = pad + x;
    double s = 0;
    for (k = 0; k < taps; k++) s += (double)w[k] * p[k];
    out[x] = (float)s;
  }
}

void jk_k_unsharp_row(const uint8_t *src, int src_step, const double *blur, int n, double amount, double threshold,
                      uint8_t *dst, int dst_step) {
  int x;
  for (x = 0; x < n; x++, src += src_step, dst += dst_step) {
    double v = *src, diff = v - blur[x];
    *dst = jk_round_byte(fabs(diff) > threshold ? v + amount * diff : v);
  }
}

void jk_k_gather_row(const uint8_t *src, ptrdiff_t step, uint8_t *dst, size_t n, int bpp) {
  size_t i;
  if (step == bpp) {
    memcpy(dst, src, n * (size_t)bpp);
    return;
  }
  switch (bpp) {
  case 1:
    for (i = 0; i < n; i++, src += step) dst[i] = *src;
    break;
  case 3:
    for (i = 0; i < n; i++, src += step, dst += 3) {
      dst[0] = src[0];
      dst[1] = src[1];
      dst[2] = src[2];
    }
    break;
  case 4:
    for (i = 0; i < n; i++, src += step, dst += 4) memcpy(dst, src, 4);
    break;
  default:
    for (i = 0; i < n; i++, src += step, dst += bpp) memcpy(dst, src, (size_t)bpp);
  }
}

void jk_k_lut_row(const uint8_t *src, uint8_t *dst, size_t n, int ch, int skip, const uint8_t table[256]) {
  size_t i, total = n * (size_t)ch;
  if (skip < 0) {
    for (i = 0; i < total; i++) dst[i] = table[src[i]];
    return;
  }
  for (i = 0; i < total; i += (size_t)ch) {
    int c;
    for (c = 0; c < ch; c++) dst[i + c] = c == skip ? src[i + c] : table[src[i + c]];
  }
}

void jk_k_convert_row(const jk_convert_row_io *io, size_t n) {
  size_t x, si = 0, di = 0;
  int c;
  for (x = 0; x < n; x++, si += (size_t)io->src_step, di += (size_t)io->dst_step) {
    unsigned r = io->r[si], g = io->g[si], b = io->b[si];
    for (c = 0; c < io->out_count; c++) {
      unsigned v;
      switch (io->role[c]) {
      case 'r':
        v = r;
        break;
      case 'g':
        v = g;
        break;
      case 'b':
        v = b;
        break;
      case 'a':
        v = io->a != NULL ? io->a[si] : 255u;
        break;
      default: /* 'y': libjpeg's luma (jccolor.c), as core's rgbToGray */
        v = io->src_gray ? r : (19595u * r + 38470u * g + 7471u * b + 32768u) >> 16;
      }
      io->out[c][di] = (uint8_t)v;
    }
  }
}
