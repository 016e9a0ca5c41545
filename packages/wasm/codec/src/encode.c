/*
 * Encoding: the same parameter sequence as cjpeg, so identical settings give identical bytes:
 * jpeg_set_defaults for the input color space, [-grayscale], [-arithmetic], [-optimize], [-restart NB],
 * -quality Q (force_baseline FALSE), -sample HxV, [-progressive]; then the ICC profile after jpeg_start_compress.
 */
#include <stdlib.h>
#include <string.h>

#include "jk_internal.h"
#include "pixels.h"

#define EXIF_ID_LEN 6
#define MAX_MARKER_DATA 65533 /* a marker's length field counts itself */
#define ICC_MAX_CHUNKS 255
#define ICC_CHUNK_DATA (MAX_MARKER_DATA - 14) /* "ICC_PROFILE\0" + sequence number + count */
#define INITIAL_OUT_MAX ((uint64_t)64 << 20)

static const uint8_t EXIF_ID[EXIF_ID_LEN] = {'E', 'x', 'i', 'f', 0, 0};

typedef struct jk_encoder {
  struct jpeg_compress_struct cinfo;
  jk_error_mgr err;
  jk_mem_dest dest;
  int created;
} jk_encoder;

/* Luma sampling factors (chroma stays 1x1), or 0 for an unknown value. */
static int luma_factors(int subsampling, int *h, int *v) {
  switch (subsampling) {
  case JK_SUBSAMP_444: *h = 1; *v = 1; return 1;
  case JK_SUBSAMP_422: *h = 2; *v = 1; return 1;
  case JK_SUBSAMP_420: *h = 2; *v = 2; return 1;
  case JK_SUBSAMP_440: *h = 1; *v = 2; return 1;
  case JK_SUBSAMP_411: *h = 4; *v = 1; return 1;
  case JK_SUBSAMP_GRAY: *h = 1; *v = 1; return 1;
  default: return 0;
  }
}

static void write_exif(j_compress_ptr cinfo, const uint8_t *exif, size_t len) {
  size_t i;
  int prefixed = len >= EXIF_ID_LEN && memcmp(exif, EXIF_ID, EXIF_ID_LEN) == 0;
  jpeg_write_m_header(cinfo, JPEG_APP0 + 1, (unsigned int)(len + (prefixed ? 0 : EXIF_ID_LEN)));
  if (!prefixed)
    for (i = 0; i < EXIF_ID_LEN; i++) jpeg_write_m_byte(cinfo, EXIF_ID[i]);
  for (i = 0; i < len; i++) jpeg_write_m_byte(cinfo, exif[i]);
}

static int run_encode(jk_encoder *e, const uint8_t *pixels, int width, int height, size_t stride, int in_format,
                      int quality, int subsampling, int progressive, int optimize, int restart_interval,
                      int arithmetic, const uint8_t *icc, size_t icc_len, const uint8_t *exif, size_t exif_len) {
  j_compress_ptr cinfo = &e->cinfo;
  int h, v, planar = jk_format_planar(in_format);
  size_t plane = stride * (size_t)height;
  uint64_t raw;
  JSAMPARRAY tmp = NULL;

  cinfo->err = jk_error_init(&e->err, 1);
  if (setjmp(e->err.jump)) return jk_status_set(e->err.fatal_code, e->err.message);
  jpeg_create_compress(cinfo);
  e->created = 1;

  /* Start at an eighth of the raw size (at most 64 MiB); the destination doubles as needed. */
  raw = (uint64_t)width * (uint64_t)height * (uint64_t)jk_format_channels(in_format) / 8;
  if (raw > INITIAL_OUT_MAX) raw = INITIAL_OUT_MAX;
  jk_mem_dest_init(cinfo, &e->dest, (size_t)raw + icc_len + exif_len + 1024);

  cinfo->image_width = (JDIMENSION)width;
  cinfo->image_height = (JDIMENSION)height;
  cinfo->in_color_space = planar ? JCS_RGB : jk_format_color_space(in_format);
  cinfo->input_components = jk_format_channels(in_format);
  jpeg_set_defaults(cinfo); /* picks YCbCr or grayscale from the input color space, like cjpeg */
  if (subsampling == JK_SUBSAMP_GRAY) jpeg_set_colorspace(cinfo, JCS_GRAYSCALE);
  cinfo->arith_code = arithmetic ? TRUE : FALSE;
  cinfo->optimize_coding = optimize ? TRUE : FALSE;
  cinfo->restart_interval = (unsigned int)restart_interval;
  cinfo->restart_in_rows = 0;
  jpeg_set_quality(cinfo, quality, FALSE);
  if (cinfo->jpeg_color_space != JCS_GRAYSCALE) {
    int ci;
    luma_factors(subsampling, &h, &v);
    cinfo->comp_info[0].h_samp_factor = h;
    cinfo->comp_info[0].v_samp_factor = v;
    for (ci = 1; ci < MAX_COMPONENTS; ci++) {
      cinfo->comp_info[ci].h_samp_factor = 1;
      cinfo->comp_info[ci].v_samp_factor = 1;
    }
  }
  if (progressive) jpeg_simple_progression(cinfo);

  jpeg_start_compress(cinfo, TRUE);
  if (exif != NULL && exif_len > 0) write_exif(cinfo, exif, exif_len);
  if (icc != NULL && icc_len > 0) jpeg_write_icc_profile(cinfo, icc, (unsigned int)icc_len);

  if (planar) {
    /* rgb-planar / bgr-planar: interleave a row at a time as RGB. */
    const int bgr = in_format == JK_FMT_BGR_PLANAR;
    tmp = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE, (JDIMENSION)width * 3, 1);
    while (cinfo->next_scanline < cinfo->image_height) {
      const uint8_t *row = pixels + (size_t)cinfo->next_scanline * stride;
      const uint8_t *p0 = row, *p1 = row + plane, *p2 = row + 2 * plane;
      jk_merge3(bgr ? p2 : p0, p1, bgr ? p0 : p2, tmp[0], (size_t)width);
      jpeg_write_scanlines(cinfo, tmp, 1);
    }
  } else {
    JSAMPROW rows[16];
    while (cinfo->next_scanline < cinfo->image_height) {
      JDIMENSION n = cinfo->image_height - cinfo->next_scanline, i;
      if (n > 16) n = 16;
      /* libjpeg only reads the rows; JSAMPROW just is not const. */
      for (i = 0; i < n; i++)
        rows[i] = (JSAMPROW)(uintptr_t)(pixels + (size_t)(cinfo->next_scanline + i) * stride);
      jpeg_write_scanlines(cinfo, rows, n);
    }
  }
  jpeg_finish_compress(cinfo);
  return JK_OK;
}

int jk_encode(const uint8_t *pixels, int width, int height, int stride, int in_format, int quality,
              int subsampling, int progressive, int optimize, int restart_interval, int arithmetic,
              const uint8_t *icc, size_t icc_len, const uint8_t *exif, size_t exif_len, uint8_t **out,
              size_t *out_len) {
  jk_encoder *e;
  int rc, h, v;
  jk_status_reset();
  if (out == NULL || out_len == NULL || pixels == NULL)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "missing buffer");
  *out = NULL;
  *out_len = 0;
  if (!jk_format_valid(in_format)) return jk_status_set(JK_E_INVALID_ARGUMENT, "unknown input format");
  if (width <= 0 || height <= 0) return jk_status_set(JK_E_INVALID_ARGUMENT, "width and height must be positive");
  if (width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION)
    return jk_status_set(JK_E_TOO_LARGE, "JPEG dimensions are limited to 65500 pixels");
  if (stride <= 0 || (size_t)stride < (size_t)width * (size_t)jk_format_row_bytes(in_format))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "stride is smaller than a row");
  if (quality < 1 || quality > 100) return jk_status_set(JK_E_INVALID_ARGUMENT, "quality must be 1..100");
  if (!luma_factors(subsampling, &h, &v)) return jk_status_set(JK_E_INVALID_ARGUMENT, "unknown subsampling");
  if (restart_interval < 0 || restart_interval > 65535)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "restart interval must be 0..65535 MCUs");
  if (icc_len > (size_t)ICC_MAX_CHUNKS * ICC_CHUNK_DATA)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "ICC profile too large");
  if (exif_len > MAX_MARKER_DATA - EXIF_ID_LEN) return jk_status_set(JK_E_INVALID_ARGUMENT, "EXIF data too large");
  e = (jk_encoder *)calloc(1, sizeof *e);
  if (e == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory");
  rc = run_encode(e, pixels, width, height, (size_t)stride, in_format, quality, subsampling, progressive, optimize,
                  restart_interval, arithmetic, icc, icc_len, exif, exif_len);
  if (rc == JK_OK) {
    *out = e->dest.buffer;
    *out_len = e->dest.size;
  } else {
    free(e->dest.buffer);
  }
  if (e->created) jpeg_destroy_compress(&e->cinfo);
  free(e);
  return rc;
}
