/* The exact sRGB transfer curve (IEC 61966-2-1) in 0–255 units, as core's srgb.ts (resize's linear light). */
#include <math.h>

#include "ops_internal.h"

double jk_srgb_to_linear(double v) {
  double s = v / 255;
  double l = s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
  return l * 255;
}

double jk_linear_to_srgb(double v) {
  double l = v <= 0 ? 0 : v >= 255 ? 1 : v / 255;
  double s = l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1 / 2.4) - 0.055;
  return s * 255;
}

const float *jk_srgb_to_linear_table(void) {
  static float table[256];
  static int ready = 0;
  if (!ready) {
    int v;
    for (v = 0; v < 256; v++) table[v] = (float)jk_srgb_to_linear(v);
    ready = 1;
  }
  return table;
}
