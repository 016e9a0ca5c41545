/* Scalar row kernels (see pixels.h). */
#include "pixels.h"

const jk_layout JK_LAYOUT_RGB = {0, 1, 2, -1, 3};
const jk_layout JK_LAYOUT_BGR = {2, 1, 0, -1, 3};
const jk_layout JK_LAYOUT_RGBA = {0, 1, 2, 3, 4};
const jk_layout JK_LAYOUT_BGRA = {2, 1, 0, 3, 4};

/* round(v * k / 255) for v, k in 0..255: (t + (t >> 8)) >> 8 with t = v * k + 128 is exact over that whole
 * range (no product lies on a .5 boundary, so djpeg's double arithmetic rounds the same way). */
static inline uint8_t mul_div255(unsigned v, unsigned k) {
  unsigned t = v * k + 128u;
  return (uint8_t)((t + (t >> 8)) >> 8);
}

void jk_cmyk_to_rgb(const uint8_t *cmyk, uint8_t *out, size_t n, const jk_layout *layout) {
  const int r = layout->r, g = layout->g, b = layout->b, a = layout->a, size = layout->size;
  size_t i;
  for (i = 0; i < n; i++, cmyk += 4, out += size) {
    unsigned k = cmyk[3];
    out[r] = mul_div255(cmyk[0], k);
    out[g] = mul_div255(cmyk[1], k);
    out[b] = mul_div255(cmyk[2], k);
    if (a >= 0) out[a] = 0xFF;
  }
}

void jk_split3(const uint8_t *src, uint8_t *p0, uint8_t *p1, uint8_t *p2, size_t n) {
  size_t i;
  for (i = 0; i < n; i++, src += 3) {
    p0[i] = src[0];
    p1[i] = src[1];
    p2[i] = src[2];
  }
}

void jk_merge3(const uint8_t *p0, const uint8_t *p1, const uint8_t *p2, uint8_t *dst, size_t n) {
  size_t i;
  for (i = 0; i < n; i++, dst += 3) {
    dst[0] = p0[i];
    dst[1] = p1[i];
    dst[2] = p2[i];
  }
}
