/*
 * Contribution tables of resize, exactly as core's contributions.ts computes them: pixel-centre mapping
 * centre = (d + 0.5) · scale − 0.5, the kernel stretched by the factor when shrinking, edges replicated (a weight
 * past an edge added to the edge sample), zero weights trimmed off both ends, the rest normalised in double and
 * stored as float. 'nearest' takes floor((d + 0.5) · scale); 'box' weighs each input by its overlap with
 * [d · scale, (d + 1) · scale). The kernels are core's kernels.ts, evaluated with the same expressions.
 */
#include <math.h>
#include <stdlib.h>

#include "jk_internal.h"
#include "ops_internal.h"

#define JK_PI 3.141592653589793

static double triangle(double x) {
  double a = fabs(x);
  return a < 1 ? 1 - a : 0;
}

/* Mitchell–Netravali cubic with parameters b, c (core's bcCubic). */
static double bc_cubic(double b, double c, double x) {
  double a = fabs(x);
  if (a < 1) return ((12 - 9 * b - 6 * c) * a * a * a + (-18 + 12 * b + 6 * c) * a * a + (6 - 2 * b)) / 6;
  if (a < 2)
    return ((-b - 6 * c) * a * a * a + (6 * b + 30 * c) * a * a + (-12 * b - 48 * c) * a + (8 * b + 24 * c)) / 6;
  return 0;
}

static double sinc(double x) {
  double p;
  if (x == 0) return 1;
  p = JK_PI * x;
  return sin(p) / p;
}

static double kernel_radius(int filter) {
  switch (filter) {
  case JK_FILTER_BILINEAR:
    return 1;
  case JK_FILTER_LANCZOS3:
    return 3;
  default:
    return 2;
  }
}

static double kernel_weight(int filter, double x) {
  switch (filter) {
  case JK_FILTER_BILINEAR:
    return triangle(x);
  case JK_FILTER_MITCHELL:
    return bc_cubic(1.0 / 3, 1.0 / 3, x);
  case JK_FILTER_CATMULL_ROM:
    return bc_cubic(0, 1.0 / 2, x);
  default: /* lanczos3 */
    return fabs(x) < 3 ? sinc(x) * sinc(x / 3) : 0;
  }
}

/* Trims zero weights off both ends of w[0..n), normalises the rest into out and returns how many it kept;
 * *first moves along with the trimmed start. */
static int normalise(const double *w, int n, int32_t *first, float *out) {
  int a = 0, b = n, k;
  double sum = 0;
  while (a < b - 1 && w[a] == 0) a++;
  while (b > a + 1 && w[b - 1] == 0) b--;
  for (k = a; k < b; k++) sum += w[k];
  for (k = a; k < b; k++) out[k - a] = (float)(w[k] / sum);
  *first += a;
  return b - a;
}

static int kernel_row(int d, double scale, int src_size, int filter, double *w, int32_t *start, float *out) {
  double stretch = scale > 1 ? scale : 1;
  double support = kernel_radius(filter) * stretch;
  double centre = (d + 0.5) * scale - 0.5;
  double lo = floor(centre - support), hi = ceil(centre + support), i;
  int first = lo < 0 ? 0 : lo > src_size - 1 ? src_size - 1 : (int)lo;
  int last = hi < 0 ? 0 : hi > src_size - 1 ? src_size - 1 : (int)hi;
  int k;
  for (k = 0; k <= last - first; k++) w[k] = 0;
  for (i = lo; i <= hi; i++) {
    double wi = kernel_weight(filter, (i - centre) / stretch);
    int j = i < 0 ? 0 : i > src_size - 1 ? src_size - 1 : (int)i;
    w[j - first] += wi;
  }
  *start = first;
  return normalise(w, last - first + 1, start, out);
}

static int box_row(int d, double scale, int src_size, double *w, int32_t *start, float *out) {
  double left = d * scale;
  double right = (d + 1) * scale < src_size ? (d + 1) * scale : src_size;
  int first = (int)floor(left) < src_size - 1 ? (int)floor(left) : src_size - 1;
  int n = 0, i, k;
  for (i = first; i < right; i++) {
    double hi = i + 1 < right ? i + 1 : right, lo = i > left ? i : left;
    double overlap = hi - lo;
    w[n++] = overlap > 0 ? overlap : 0;
  }
  for (k = 0; k < n; k++)
    if (w[k] < 1e-6 * scale) w[k] = 0;
  *start = first;
  return normalise(w, n, start, out);
}

int jk_contrib_init(jk_contrib *t, int src_size, int dst_size, int filter) {
  double scale = (double)src_size / dst_size;
  double cap_d;
  int cap, d;
  double *w;
  size_t nw;
  t->start = NULL;
  t->count = NULL;
  t->weights = NULL;
  t->src_size = src_size;
  t->dst_size = dst_size;
  if (src_size <= 0 || dst_size <= 0) return jk_status_set(JK_E_INVALID_ARGUMENT, "resize sizes must be positive");
  if (filter < JK_FILTER_NEAREST || filter > JK_FILTER_BOX)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "unknown resize filter");
  /* The most inputs one output can read (before trimming): the clamped range lo..hi, or the box's overlaps. */
  if (filter == JK_FILTER_NEAREST)
    cap_d = 1;
  else if (filter == JK_FILTER_BOX)
    cap_d = ceil(scale) + 2;
  else
    cap_d = ceil(2 * kernel_radius(filter) * (scale > 1 ? scale : 1)) + 3;
  cap = cap_d > src_size ? src_size : (int)cap_d;
  t->taps = cap;
  nw = jk_mul_size((size_t)dst_size, (size_t)cap);
  t->start = (int32_t *)malloc((size_t)dst_size * sizeof(int32_t));
  t->count = (int32_t *)malloc((size_t)dst_size * sizeof(int32_t));
  t->weights = nw == 0 ? NULL : (float *)malloc(jk_mul_size(nw, sizeof(float)));
  w = (double *)malloc((size_t)(cap + 2) * sizeof(double));
  if (t->start == NULL || t->count == NULL || t->weights == NULL || w == NULL) {
    free(w);
    jk_contrib_free(t);
    return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory for resize weights");
  }
  for (d = 0; d < dst_size; d++) {
    float *out = t->weights + (size_t)d * (size_t)cap;
    if (filter == JK_FILTER_NEAREST) {
      double s = floor((d + 0.5) * scale);
      t->start[d] = s > src_size - 1 ? src_size - 1 : (int32_t)s;
      t->count[d] = 1;
      out[0] = 1;
    } else if (filter == JK_FILTER_BOX) {
      t->count[d] = box_row(d, scale, src_size, w, &t->start[d], out);
    } else {
      t->count[d] = kernel_row(d, scale, src_size, filter, w, &t->start[d], out);
    }
  }
  free(w);
  return JK_OK;
}

void jk_contrib_free(jk_contrib *t) {
  free(t->start);
  free(t->count);
  free(t->weights);
  t->start = NULL;
  t->count = NULL;
  t->weights = NULL;
}
