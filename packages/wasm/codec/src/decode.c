/*
 * Decoding: header info and full, scaled and cropped decodes with libjpeg's accurate defaults (JDCT_ISLOW, fancy
 * upsampling, block smoothing), matching `djpeg -dct int` byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "jk_internal.h"
#include "pixels.h"

#define SCALE_DENOM 8
#define DIRECT_ROWS 32 /* rows handed to jpeg_read_scanlines per call when decoding straight into dst */

typedef struct jk_rect {
  JDIMENSION x, y, w, h;
} jk_rect;

/* Everything the error path needs lives here (heap, not locals of the function that calls setjmp). */
typedef struct jk_decoder {
  struct jpeg_decompress_struct cinfo;
  jk_error_mgr err;
  int created;
  int partial;
  int format;
  uint8_t *dst;
  size_t stride;
  jk_rect out;      /* requested region, in scaled coordinates */
  int writing;      /* output rows are being produced */
  JDIMENSION rows;  /* rows of dst fully written */
} jk_decoder;

static int resolve_crop(JDIMENSION width, JDIMENSION height, int x, int y, int w, int h, jk_rect *r) {
  if (w == 0) {
    r->x = r->y = 0;
    r->w = width;
    r->h = height;
    return JK_OK;
  }
  if (x < 0 || y < 0 || w < 0 || h <= 0 || (uint64_t)x + (uint64_t)w > width ||
      (uint64_t)y + (uint64_t)h > height)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "crop rectangle exceeds the scaled image");
  r->x = (JDIMENSION)x;
  r->y = (JDIMENSION)y;
  r->w = (JDIMENSION)w;
  r->h = (JDIMENSION)h;
  return JK_OK;
}

/* Maps a longjmp from libjpeg to the result: in partial mode, corrupt or truncated data after some rows were
 * written is a partial decode (the rest of dst zeroed); anything else is an error. */
static int fail(jk_decoder *d) {
  int code = d->err.fatal_code;
  if (d->partial && d->writing && d->rows > 0 && (code == JK_E_CORRUPT || code == JK_E_TRUNCATED)) {
    int planes = jk_format_planar(d->format) ? 3 : 1, p;
    size_t row_bytes = (size_t)d->out.w * (size_t)jk_format_row_bytes(d->format);
    JDIMENSION y;
    for (p = 0; p < planes; p++)
      for (y = d->rows; y < d->out.h; y++)
        memset(d->dst + ((size_t)p * d->out.h + y) * d->stride, 0, row_bytes);
    jk_status_rows((int)d->rows);
    jk_status_set(code, d->err.message);
    return JK_PARTIAL;
  }
  jk_status_rows((int)d->rows);
  return jk_status_set(code != 0 ? code : JK_E_CORRUPT, d->err.message);
}

static int check_components(j_decompress_ptr cinfo) {
  char message[96];
  if (cinfo->num_components > 4 || cinfo->jpeg_color_space == JCS_UNKNOWN) {
    snprintf(message, sizeof message, "JPEG with %d components in an unknown color space is not supported",
             cinfo->num_components);
    return jk_status_set(JK_E_UNSUPPORTED, message);
  }
  return JK_OK;
}

static const jk_layout *layout_of(J_COLOR_SPACE cs) {
  switch (cs) {
  case JCS_EXT_BGR:
    return &JK_LAYOUT_BGR;
  case JCS_EXT_RGBA:
    return &JK_LAYOUT_RGBA;
  case JCS_EXT_BGRA:
    return &JK_LAYOUT_BGRA;
  default:
    return &JK_LAYOUT_RGB;
  }
}

/* Runs the decode; returns JK_OK, JK_PARTIAL or a recorded error. */
static int run_decode(jk_decoder *d, const uint8_t *src, size_t len, int scale_num, int crop_x, int crop_y,
                      int crop_w, int crop_h, size_t dst_len) {
  j_decompress_ptr cinfo = &d->cinfo;
  J_COLOR_SPACE layout_space = jk_format_color_space(d->format);
  JDIMENSION xoff, region_w, col;
  JSAMPARRAY buf = NULL, tmp = NULL;
  const jk_layout *layout = layout_of(layout_space);
  int rc, cmyk, planar = jk_format_planar(d->format);
  size_t row_bytes, plane = 0;

  cinfo->err = jk_error_init(&d->err, !d->partial);
  if (setjmp(d->err.jump)) return fail(d);
  jpeg_create_decompress(cinfo);
  d->created = 1;
  jk_mem_src(cinfo, src, len);
  jpeg_read_header(cinfo, TRUE);
  if ((rc = check_components(cinfo)) != JK_OK) return rc;

  cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
  if (cmyk && d->format == JK_FMT_GRAY)
    return jk_status_set(JK_E_UNSUPPORTED, "CMYK/YCCK JPEG cannot be decoded to gray");
  cinfo->out_color_space = cmyk ? JCS_CMYK : layout_space;
  cinfo->dct_method = JDCT_ISLOW;
  cinfo->do_fancy_upsampling = TRUE;
  cinfo->scale_num = (unsigned int)scale_num;
  cinfo->scale_denom = SCALE_DENOM;
  jpeg_calc_output_dimensions(cinfo);

  if ((rc = resolve_crop(cinfo->output_width, cinfo->output_height, crop_x, crop_y, crop_w, crop_h, &d->out)))
    return rc;
  row_bytes = (size_t)d->out.w * (size_t)jk_format_row_bytes(d->format);
  if (d->stride < row_bytes) return jk_status_set(JK_E_INVALID_ARGUMENT, "stride is smaller than a row");
  plane = d->stride * d->out.h;
  {
    size_t needed = jk_image_bytes(d->format, (int)d->out.w, (int)d->out.h, (int)d->stride);
    if (needed == 0) return jk_status_set(JK_E_TOO_LARGE, "output does not fit in memory");
    if (dst_len < needed) return jk_status_set(JK_E_INVALID_ARGUMENT, "output buffer is too small");
  }

  jpeg_start_decompress(cinfo);

  /* Columns: decode a wider region than asked and copy the requested columns out of it, so the pixels equal
   * those of a full decode. libjpeg treats the region's left and right edges as image edges: the fancy
   * upsampler needs one more pixel on each side, and progressive block smoothing (a 5x5 DC neighbourhood) two
   * more blocks of every component left of that pixel (on the right it reads past the region anyway). It is also
   * kept at least 2 * max_h_samp_factor + 1 wide, since libjpeg falls back to box upsampling for components
   * fewer than 3 samples wide. jpeg_crop_scanline then aligns its start down to an iMCU boundary. */
  xoff = 0;
  if (d->out.w < cinfo->output_width) {
    JDIMENSION imcu = (JDIMENSION)cinfo->min_DCT_scaled_size * (JDIMENSION)cinfo->max_h_samp_factor;
    JDIMENSION left = cinfo->progressive_mode ? 2 * imcu + 1 : 1;
    JDIMENSION end = d->out.x + d->out.w + 1;
    JDIMENSION min_w = 2 * (JDIMENSION)cinfo->max_h_samp_factor + 1;
    xoff = d->out.x > left ? d->out.x - left : 0;
    if (end > cinfo->output_width) end = cinfo->output_width;
    if (end - xoff < min_w) end = xoff + min_w < cinfo->output_width ? xoff + min_w : cinfo->output_width;
    if (end - xoff < min_w) xoff = end > min_w ? end - min_w : 0;
    region_w = end - xoff;
    if (region_w < cinfo->output_width)
      jpeg_crop_scanline(cinfo, &xoff, &region_w);
    else
      xoff = 0;
  }
  col = d->out.x - xoff;
  if (d->out.y > 0 && jpeg_skip_scanlines(cinfo, d->out.y) != d->out.y)
    return jk_status_set(JK_E_CORRUPT, "could not skip to the crop rectangle");

  d->writing = 1;
  if (!cmyk && !planar && col == 0 && cinfo->output_width == d->out.w) {
    /* Straight into dst. */
    JSAMPROW rows[DIRECT_ROWS];
    while (d->rows < d->out.h) {
      JDIMENSION want = d->out.h - d->rows, i;
      if (want > DIRECT_ROWS) want = DIRECT_ROWS;
      for (i = 0; i < want; i++) rows[i] = d->dst + (size_t)(d->rows + i) * d->stride;
      d->rows += jpeg_read_scanlines(cinfo, rows, want);
    }
  } else {
    JDIMENSION group = (JDIMENSION)cinfo->rec_outbuf_height;
    size_t in_px = (size_t)cinfo->output_components;
    buf = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE,
                                      cinfo->output_width * (JDIMENSION)in_px, group);
    if (cmyk && planar)
      tmp = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE, d->out.w * 3, 1);
    while (d->rows < d->out.h) {
      JDIMENSION want = d->out.h - d->rows, got, i;
      if (want > group) want = group;
      got = jpeg_read_scanlines(cinfo, buf, want);
      for (i = 0; i < got; i++) {
        const uint8_t *in = buf[i] + (size_t)col * in_px;
        uint8_t *out = d->dst + (size_t)(d->rows + i) * d->stride;
        if (planar) {
          if (cmyk) {
            jk_cmyk_to_rgb(in, tmp[0], d->out.w, layout);
            in = tmp[0];
          }
          jk_split3(in, out, out + plane, out + 2 * plane, d->out.w);
        } else if (cmyk) {
          jk_cmyk_to_rgb(in, out, d->out.w, layout);
        } else {
          memcpy(out, in, row_bytes);
        }
      }
      d->rows += got;
    }
  }

  /* A crop that stops short of the bottom leaves the rest of the image undecoded (and unchecked). */
  if (cinfo->output_scanline < cinfo->output_height)
    jpeg_abort_decompress(cinfo);
  else
    jpeg_finish_decompress(cinfo);

  jk_status_rows((int)d->rows);
  if (d->err.warn_code != 0) { /* only reached in partial mode: strict mode longjmps on the first one */
    jk_status_set(d->err.warn_code, d->err.warn_message);
    return JK_PARTIAL;
  }
  return JK_OK;
}

int jk_decode(const uint8_t *src, size_t len, int out_format, int scale_num, int crop_x, int crop_y, int crop_w,
              int crop_h, uint8_t *dst, size_t dst_len, int dst_stride, int partial) {
  jk_decoder *d;
  int rc;
  jk_status_reset();
  if (!jk_format_valid(out_format)) return jk_status_set(JK_E_INVALID_ARGUMENT, "unknown output format");
  if (scale_num < 1 || scale_num > SCALE_DENOM)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "scale must be 1/8 .. 8/8");
  if (src == NULL || dst == NULL || dst_stride <= 0)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "missing buffer or bad stride");
  d = (jk_decoder *)calloc(1, sizeof *d);
  if (d == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory");
  d->partial = partial != 0;
  d->format = out_format;
  d->dst = dst;
  d->stride = (size_t)dst_stride;
  rc = run_decode(d, src, len, scale_num, crop_x, crop_y, crop_w, crop_h, dst_len);
  if (d->created) jpeg_destroy_decompress(&d->cinfo);
  free(d);
  return rc;
}

static int run_info(jk_decoder *d, const uint8_t *src, size_t len, int scale_num, int crop_x, int crop_y,
                    int crop_w, int crop_h, int32_t *info) {
  j_decompress_ptr cinfo = &d->cinfo;
  int rc, i;

  cinfo->err = jk_error_init(&d->err, 0); /* header warnings are reported by jk_decode */
  if (setjmp(d->err.jump)) return jk_status_set(d->err.fatal_code, d->err.message);
  jpeg_create_decompress(cinfo);
  d->created = 1;
  jk_mem_src(cinfo, src, len);
  jpeg_read_header(cinfo, TRUE);
  if ((rc = check_components(cinfo)) != JK_OK) return rc;
  cinfo->scale_num = (unsigned int)scale_num;
  cinfo->scale_denom = SCALE_DENOM;
  jpeg_calc_output_dimensions(cinfo);
  if ((rc = resolve_crop(cinfo->output_width, cinfo->output_height, crop_x, crop_y, crop_w, crop_h, &d->out)))
    return rc;

  for (i = 0; i < JK_INFO_FIELDS; i++) info[i] = 0;
  info[JK_INFO_OUT_WIDTH] = (int32_t)d->out.w;
  info[JK_INFO_OUT_HEIGHT] = (int32_t)d->out.h;
  info[JK_INFO_SCALED_WIDTH] = (int32_t)cinfo->output_width;
  info[JK_INFO_SCALED_HEIGHT] = (int32_t)cinfo->output_height;
  info[JK_INFO_IMAGE_WIDTH] = (int32_t)cinfo->image_width;
  info[JK_INFO_IMAGE_HEIGHT] = (int32_t)cinfo->image_height;
  info[JK_INFO_COMPONENTS] = cinfo->num_components;
  info[JK_INFO_COLOR_SPACE] = (int32_t)cinfo->jpeg_color_space;
  info[JK_INFO_PROGRESSIVE] = cinfo->progressive_mode ? 1 : 0;
  info[JK_INFO_ARITHMETIC] = cinfo->arith_code ? 1 : 0;
  info[JK_INFO_PRECISION] = cinfo->data_precision;
  info[JK_INFO_WARNINGS] = (int32_t)d->err.pub.num_warnings;
  return JK_OK;
}

int jk_decode_info(const uint8_t *src, size_t len, int scale_num, int crop_x, int crop_y, int crop_w, int crop_h,
                   int32_t *info) {
  jk_decoder *d;
  int rc;
  jk_status_reset();
  if (scale_num < 1 || scale_num > SCALE_DENOM)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "scale must be 1/8 .. 8/8");
  if (src == NULL || info == NULL) return jk_status_set(JK_E_INVALID_ARGUMENT, "missing buffer");
  d = (jk_decoder *)calloc(1, sizeof *d);
  if (d == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory");
  rc = run_info(d, src, len, scale_num, crop_x, crop_y, crop_w, crop_h, info);
  if (d->created) jpeg_destroy_decompress(&d->cinfo);
  free(d);
  return rc;
}
