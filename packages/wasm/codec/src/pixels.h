/*
 * Row kernels: the codec's own per-pixel loops (everything else runs inside libjpeg). They take plain byte
 * pointers and a pixel count, so a SIMD variant (wasm simd128) can later replace one without touching callers.
 */
#ifndef JK_PIXELS_H
#define JK_PIXELS_H

#include <stddef.h>
#include <stdint.h>

/* Channel order of an interleaved row: offsets of R, G, B, the alpha offset (-1: none) and the pixel size. */
typedef struct jk_layout {
  int r, g, b, a, size;
} jk_layout;

extern const jk_layout JK_LAYOUT_RGB, JK_LAYOUT_BGR, JK_LAYOUT_RGBA, JK_LAYOUT_BGRA;

/* CMYK (as libjpeg outputs it, Adobe-inverted values untouched) to RGB the way djpeg's PPM writer (cmyk.h)
 * does: r = round(c * k / 255), likewise g from m and b from y; alpha, if any, is 255. */
void jk_cmyk_to_rgb(const uint8_t *cmyk, uint8_t *out, size_t n, const jk_layout *layout);

/* 3-channel interleaved <-> three planes. */
void jk_split3(const uint8_t *src, uint8_t *p0, uint8_t *p1, uint8_t *p2, size_t n);
void jk_merge3(const uint8_t *p0, const uint8_t *p1, const uint8_t *p2, uint8_t *dst, size_t n);

#endif /* JK_PIXELS_H */
