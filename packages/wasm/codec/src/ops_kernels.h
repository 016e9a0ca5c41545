/*
 * Row kernels of the pixel ops: every hot loop of ops_*.c is one of these, on plain pointers and a count, so a
 * SIMD variant (wasm simd128) can replace one without touching its caller. Float intermediates are float32 and
 * sums double, in the order core's reference ops use, which keeps the results bit-exact with them.
 */
#ifndef JK_OPS_KERNELS_H
#define JK_OPS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* core's roundToByte: floor(x + 0.5) clamped to 0..255, NaN → 0. */
static inline uint8_t jk_round_byte(double x) {
  if (!(x > 0)) return 0;
  if (x >= 254.5) return 255;
  return (uint8_t)(int)(x + 0.5);
}

/* ---- resize ---- */

/* One input row to float: row[x·ch + c] = lin[sample] (lin NULL: the sample) for colour, the sample for alpha,
 * then colour premultiplied by alpha / 255 when alpha ≥ 0. chan[c] points at channel c of pixel 0; pixels are
 * `step` bytes apart. */
void jk_k_load_row(const uint8_t *const chan[4], int step, int ch, int alpha, const float *lin, float *row,
                   int n);
/* Horizontal pass: out[d·ch + c] = Σ_k w[d·taps + k] · row[(start[d] + k)·ch + c], k < count[d], for d < n. */
void jk_k_resample_h(const float *row, int ch, const int32_t *start, const int32_t *count, const float *w,
                     int taps, int n, float *out);
/* Vertical pass: out[i] = Σ_k w[k] · rows[k][i], k < taps, summed in k order. */
void jk_k_vsum(const float *const *rows, const float *w, int taps, double *out, size_t n);
/* Finishes n output pixels: un-premultiply by the clamped alpha (0 where it rounds to 0), back to sRGB when
 * `linear`, round; writes channel c of pixel x to chan[c][x·step]. */
void jk_k_store_row(const double *acc, int ch, int alpha, int linear, uint8_t *const chan[4], int step, int n);

/* ---- sharpen ---- */

/* One channel of a row to float, its edge samples replicated r more times on each side: pad holds n + 2r. */
void jk_k_pad_row(const uint8_t *src, int step, int n, int r, float *pad);
/* out[x] = Σ_k w[k] · pad[x + k], k < taps (pad holds n + taps − 1 samples, edges already replicated). */
void jk_k_convolve_row(const float *pad, const float *w, int taps, float *out, int n);
/* out = v + amount · (v − blur) where |v − blur| > threshold, else v; rounded. */
void jk_k_unsharp_row(const uint8_t *src, int src_step, const double *blur, int n, double amount, double threshold,
                      uint8_t *dst, int dst_step);

/* ---- geometry: dst[i] = the bpp-byte pixel at src + i·step ---- */
void jk_k_gather_row(const uint8_t *src, ptrdiff_t step, uint8_t *dst, size_t n, int bpp);

/* ---- adjust: table lookup on every sample of n pixels of ch channels except channel `skip` (-1: none) ---- */
void jk_k_lut_row(const uint8_t *src, uint8_t *dst, size_t n, int ch, int skip, const uint8_t table[256]);

/* ---- convert ---- */
typedef struct jk_convert_row_io {
  const uint8_t *r, *g, *b, *a; /* source channels (a NULL: opaque) */
  int src_step;
  int src_gray;                 /* r, g, b all point at the gray channel */
  uint8_t *out[4];              /* destination channels, in storage order */
  char role[4];                 /* their roles: 'r', 'g', 'b', 'a', 'y' */
  int out_count, dst_step;
} jk_convert_row_io;
void jk_k_convert_row(const jk_convert_row_io *io, size_t n);

#endif /* JK_OPS_KERNELS_H */
