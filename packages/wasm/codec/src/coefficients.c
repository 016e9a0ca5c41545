/*
 * DCT-coefficient planes: jpeg_read_coefficients into one buffer a caller (a GPU IDCT) can use as is, and
 * jpeg_write_coefficients from such a buffer. The layout is described in jk_transform.h.
 */
#include <stdlib.h>
#include <string.h>

#include <jerror.h>

#include "jk_internal.h"
#include "jk_transform.h"

#define HEADER_BYTES (JK_COEF_HEADER_FIELDS * 4)
#define RECORD_BYTES (JK_COEF_COMP_RECORD * 4)
#define ALIGN16(n) (((n) + 15) & ~(size_t)15)

typedef struct jk_coef_reader {
  struct jpeg_decompress_struct cinfo;
  jk_error_mgr err;
  uint8_t *buffer;
  size_t size;
  int created;
} jk_coef_reader;

typedef struct jk_coef_writer {
  struct jpeg_compress_struct cinfo;
  jk_error_mgr err;
  jk_mem_dest dest;
  int created;
} jk_coef_writer;

/* n rounded up to a multiple of m (jutils.c's jround_up, which jpeglib.h does not declare). */
static size_t round_up(size_t n, size_t m) { return (n + m - 1) / m * m; }

/* Bytes of the coefficient arrays jpeg_read_coefficients allocates for this frame (after jpeg_read_header). */
uint64_t jk_coef_bytes(j_decompress_ptr cinfo) {
  uint64_t total = 0;
  int ci;
  for (ci = 0; ci < cinfo->num_components; ci++) {
    const jpeg_component_info *c = &cinfo->comp_info[ci];
    uint64_t h = (uint64_t)c->h_samp_factor, v = (uint64_t)c->v_samp_factor;
    uint64_t wib = ((uint64_t)cinfo->image_width * h + (uint64_t)cinfo->max_h_samp_factor * DCTSIZE - 1) /
                   ((uint64_t)cinfo->max_h_samp_factor * DCTSIZE);
    uint64_t hib = ((uint64_t)cinfo->image_height * v + (uint64_t)cinfo->max_v_samp_factor * DCTSIZE - 1) /
                   ((uint64_t)cinfo->max_v_samp_factor * DCTSIZE);
    total += (wib + h - 1) / h * h * ((hib + v - 1) / v * v) * sizeof(JBLOCK);
  }
  return total;
}


static int32_t *record_of(void *frame, int ci) {
  return (int32_t *)((uint8_t *)frame + HEADER_BYTES + (size_t)ci * RECORD_BYTES);
}

static int run_read(jk_coef_reader *r, const uint8_t *data, size_t len) {
  j_decompress_ptr cinfo = &r->cinfo;
  jvirt_barray_ptr *coefs;
  int32_t *head;
  size_t offset;
  int ci, q;

  cinfo->err = jk_error_init(&r->err, 1);
  if (setjmp(r->err.jump)) return jk_status_set(r->err.fatal_code, r->err.message);
  jpeg_create_decompress(cinfo);
  r->created = 1;
  jk_mem_src(cinfo, data, len);
  (void)jpeg_read_header(cinfo, TRUE);
  if (jk_coef_bytes(cinfo) > JK_MAX_COEF_BYTES)
    return jk_status_set(JK_E_TOO_LARGE, "the DCT coefficients of this image do not fit in memory");
  coefs = jpeg_read_coefficients(cinfo);

  /* Size the buffer: header, records, then each plane 16-byte aligned. */
  offset = ALIGN16(HEADER_BYTES + (size_t)cinfo->num_components * RECORD_BYTES);
  for (ci = 0; ci < cinfo->num_components; ci++) {
    jpeg_component_info *comp = &cinfo->comp_info[ci];
    size_t cols = round_up(comp->width_in_blocks, (size_t)comp->h_samp_factor);
    size_t rows = round_up(comp->height_in_blocks, (size_t)comp->v_samp_factor);
    offset = ALIGN16(offset + cols * rows * DCTSIZE2 * sizeof(int16_t));
  }
  r->buffer = (uint8_t *)calloc(1, offset);
  if (r->buffer == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory for the coefficient planes");
  r->size = offset;

  head = (int32_t *)r->buffer;
  head[JK_COEF_WIDTH] = (int32_t)cinfo->image_width;
  head[JK_COEF_HEIGHT] = (int32_t)cinfo->image_height;
  head[JK_COEF_COMPONENTS] = cinfo->num_components;
  head[JK_COEF_COLOR_SPACE] = (int32_t)cinfo->jpeg_color_space;
  head[JK_COEF_PROGRESSIVE] = cinfo->progressive_mode ? 1 : 0;
  head[JK_COEF_RESTART_INTERVAL] = (int32_t)cinfo->restart_interval;
  head[JK_COEF_ARITHMETIC] = cinfo->arith_code ? 1 : 0;
  head[JK_COEF_MAX_H] = cinfo->max_h_samp_factor;
  head[JK_COEF_MAX_V] = cinfo->max_v_samp_factor;
  head[JK_COEF_TOTAL_BYTES] = (int32_t)r->size;

  offset = ALIGN16(HEADER_BYTES + (size_t)cinfo->num_components * RECORD_BYTES);
  for (ci = 0; ci < cinfo->num_components; ci++) {
    jpeg_component_info *comp = &cinfo->comp_info[ci];
    int32_t *rec = record_of(r->buffer, ci);
    JDIMENSION cols = (JDIMENSION)round_up(comp->width_in_blocks, (size_t)comp->h_samp_factor);
    JDIMENSION rows = (JDIMENSION)round_up(comp->height_in_blocks, (size_t)comp->v_samp_factor);
    size_t row_values = (size_t)cols * DCTSIZE2;
    int16_t *plane = (int16_t *)(r->buffer + offset);
    JQUANT_TBL *qtbl = comp->quant_table; /* the table the component was coded with (saved at its first scan) */
    JDIMENSION row;

    if (qtbl == NULL) qtbl = cinfo->quant_tbl_ptrs[comp->quant_tbl_no];
    if (qtbl == NULL) ERREXIT1(cinfo, JERR_NO_QUANT_TABLE, comp->quant_tbl_no);
    rec[JK_COEF_C_ID] = comp->component_id;
    rec[JK_COEF_C_H] = comp->h_samp_factor;
    rec[JK_COEF_C_V] = comp->v_samp_factor;
    rec[JK_COEF_C_WIDTH_IN_BLOCKS] = (int32_t)comp->width_in_blocks;
    rec[JK_COEF_C_HEIGHT_IN_BLOCKS] = (int32_t)comp->height_in_blocks;
    rec[JK_COEF_C_BLOCKS_PER_ROW] = (int32_t)cols;
    rec[JK_COEF_C_BLOCK_ROWS] = (int32_t)rows;
    rec[JK_COEF_C_QUANT_TBL_NO] = comp->quant_tbl_no;
    rec[JK_COEF_C_DATA_OFFSET] = (int32_t)offset;
    rec[JK_COEF_C_DATA_COUNT] = (int32_t)((size_t)rows * row_values);
    for (q = 0; q < DCTSIZE2; q++) rec[JK_COEF_COMP_FIELDS + q] = qtbl->quantval[q]; /* natural order */
    for (row = 0; row < rows; row++) {
      JBLOCKARRAY blocks = (*cinfo->mem->access_virt_barray)((j_common_ptr)cinfo, coefs[ci], row, 1, FALSE);
      memcpy(plane + (size_t)row * row_values, blocks[0], row_values * sizeof(int16_t));
    }
    offset = ALIGN16(offset + (size_t)rows * row_values * sizeof(int16_t));
  }
  (void)jpeg_finish_decompress(cinfo);
  return JK_OK;
}

int jk_coef_read(const uint8_t *src, size_t len, uint8_t **out, size_t *out_len) {
  jk_coef_reader *r;
  int rc;
  jk_status_reset();
  if (out == NULL || out_len == NULL || (src == NULL && len > 0))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "missing buffer");
  *out = NULL;
  *out_len = 0;
  r = (jk_coef_reader *)calloc(1, sizeof *r);
  if (r == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory");
  rc = run_read(r, src, len);
  if (rc == JK_OK) {
    *out = r->buffer;
    *out_len = r->size;
  } else {
    free(r->buffer);
  }
  if (r->created) jpeg_destroy_decompress(&r->cinfo);
  free(r);
  return rc;
}

/* ---- writing ---- */

static int components_for(int color_space) {
  switch (color_space) {
  case JCS_GRAYSCALE: return 1;
  case JCS_RGB:
  case JCS_YCbCr: return 3;
  case JCS_CMYK:
  case JCS_YCCK: return 4;
  default: return 0;
  }
}

/* Checks the frame buffer before libjpeg sees it; returns 0 or sets the status. */
static int check_frame(const uint8_t *frame, size_t frame_len) {
  const int32_t *head = (const int32_t *)frame;
  int n, ci, q, max_h = 1, max_v = 1, cs;
  int64_t width, height;
  if (frame_len < HEADER_BYTES) return jk_status_set(JK_E_INVALID_ARGUMENT, "coefficient header too short");
  width = head[JK_COEF_WIDTH];
  height = head[JK_COEF_HEIGHT];
  n = head[JK_COEF_COMPONENTS];
  cs = head[JK_COEF_COLOR_SPACE];
  if (width <= 0 || height <= 0) return jk_status_set(JK_E_INVALID_ARGUMENT, "width and height must be positive");
  if (width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION)
    return jk_status_set(JK_E_TOO_LARGE, "JPEG dimensions are limited to 65500 pixels");
  if (n < 1 || n > 4) return jk_status_set(JK_E_INVALID_ARGUMENT, "1 to 4 components");
  if (cs < JCS_UNKNOWN || cs > JCS_YCCK || (cs != JCS_UNKNOWN && components_for(cs) != n))
    return jk_status_set(JK_E_INVALID_ARGUMENT, "color space does not match the component count");
  if (frame_len < HEADER_BYTES + (size_t)n * RECORD_BYTES)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "coefficient records too short");
  for (ci = 0; ci < n; ci++) {
    const int32_t *rec = (const int32_t *)(frame + HEADER_BYTES + (size_t)ci * RECORD_BYTES);
    int h = rec[JK_COEF_C_H], v = rec[JK_COEF_C_V];
    if (h < 1 || h > MAX_SAMP_FACTOR || v < 1 || v > MAX_SAMP_FACTOR)
      return jk_status_set(JK_E_INVALID_ARGUMENT, "sampling factors must be 1..4");
    if (rec[JK_COEF_C_ID] < 0 || rec[JK_COEF_C_ID] > 255)
      return jk_status_set(JK_E_INVALID_ARGUMENT, "component ids must be 0..255");
    for (q = 0; q < DCTSIZE2; q++)
      if (rec[JK_COEF_COMP_FIELDS + q] < 1 || rec[JK_COEF_COMP_FIELDS + q] > 65535)
        return jk_status_set(JK_E_INVALID_ARGUMENT, "quantisation values must be 1..65535");
    if (h > max_h) max_h = h;
    if (v > max_v) max_v = v;
  }
  for (ci = 0; ci < n; ci++) {
    const int32_t *rec = (const int32_t *)(frame + HEADER_BYTES + (size_t)ci * RECORD_BYTES);
    int64_t h = rec[JK_COEF_C_H], v = rec[JK_COEF_C_V];
    /* width_in_blocks as jcmaster computes it, rounded up to whole MCUs */
    int64_t wib = (width * h + max_h * DCTSIZE - 1) / (max_h * DCTSIZE);
    int64_t hib = (height * v + max_v * DCTSIZE - 1) / (max_v * DCTSIZE);
    int64_t cols = (wib + h - 1) / h * h, rows = (hib + v - 1) / v * v;
    int64_t count = cols * rows * DCTSIZE2, off = rec[JK_COEF_C_DATA_OFFSET];
    if (rec[JK_COEF_C_BLOCKS_PER_ROW] != cols || rec[JK_COEF_C_BLOCK_ROWS] != rows ||
        rec[JK_COEF_C_DATA_COUNT] != count)
      return jk_status_set(JK_E_INVALID_ARGUMENT, "plane size does not match the frame geometry");
    if (off < 0 || (off & 1) || (uint64_t)off + (uint64_t)count * 2 > (uint64_t)frame_len)
      return jk_status_set(JK_E_INVALID_ARGUMENT, "plane lies outside the coefficient buffer");
  }
  return 0;
}

static int run_write(jk_coef_writer *w, const uint8_t *frame, size_t frame_len, int optimize, int progressive,
                     int restart_interval) {
  j_compress_ptr cinfo = &w->cinfo;
  const int32_t *head = (const int32_t *)frame;
  int n = head[JK_COEF_COMPONENTS], ci, q, slots = 0, slot_of[MAX_COMPONENTS];
  J_COLOR_SPACE cs = (J_COLOR_SPACE)head[JK_COEF_COLOR_SPACE];
  jvirt_barray_ptr arrays[MAX_COMPONENTS];

  cinfo->err = jk_error_init(&w->err, 1);
  if (setjmp(w->err.jump)) {
    /* coefficients the entropy coder cannot represent are the caller's fault */
    if (w->err.pub.msg_code == JERR_BAD_DCT_COEF) w->err.fatal_code = JK_E_INVALID_ARGUMENT;
    return jk_status_set(w->err.fatal_code, w->err.message);
  }
  jpeg_create_compress(cinfo);
  w->created = 1;
  jk_mem_dest_init(cinfo, &w->dest, frame_len / 4 + 1024);

  cinfo->image_width = (JDIMENSION)head[JK_COEF_WIDTH];
  cinfo->image_height = (JDIMENSION)head[JK_COEF_HEIGHT];
  cinfo->input_components = n;
  cinfo->in_color_space = cs;
  jpeg_set_defaults(cinfo);
  jpeg_set_colorspace(cinfo, cs); /* the data's own space: JFIF for gray/YCbCr, Adobe for RGB/CMYK/YCCK */
  cinfo->optimize_coding = optimize ? TRUE : FALSE;
  cinfo->restart_interval = (unsigned int)restart_interval;

  for (ci = 0; ci < n; ci++) {
    const int32_t *rec = (const int32_t *)(frame + HEADER_BYTES + (size_t)ci * RECORD_BYTES);
    jpeg_component_info *comp = &cinfo->comp_info[ci];
    int s;
    /* Components with equal tables share a slot. */
    for (s = 0; s < ci; s++) {
      const int32_t *other = (const int32_t *)(frame + HEADER_BYTES + (size_t)s * RECORD_BYTES);
      if (memcmp(other + JK_COEF_COMP_FIELDS, rec + JK_COEF_COMP_FIELDS, DCTSIZE2 * sizeof(int32_t)) == 0) break;
    }
    if (s < ci) {
      slot_of[ci] = slot_of[s];
    } else {
      JQUANT_TBL *tbl;
      if (slots == NUM_QUANT_TBLS) return jk_status_set(JK_E_INVALID_ARGUMENT, "more than 4 distinct quant tables");
      slot_of[ci] = slots;
      if (cinfo->quant_tbl_ptrs[slots] == NULL) cinfo->quant_tbl_ptrs[slots] = jpeg_alloc_quant_table((j_common_ptr)cinfo);
      tbl = cinfo->quant_tbl_ptrs[slots];
      for (q = 0; q < DCTSIZE2; q++) tbl->quantval[q] = (UINT16)rec[JK_COEF_COMP_FIELDS + q];
      tbl->sent_table = FALSE;
      slots++;
    }
    comp->component_id = rec[JK_COEF_C_ID];
    comp->h_samp_factor = rec[JK_COEF_C_H];
    comp->v_samp_factor = rec[JK_COEF_C_V];
    comp->quant_tbl_no = slot_of[ci];
    arrays[ci] = (*cinfo->mem->request_virt_barray)((j_common_ptr)cinfo, JPOOL_IMAGE, FALSE,
                                                     (JDIMENSION)rec[JK_COEF_C_BLOCKS_PER_ROW],
                                                     (JDIMENSION)rec[JK_COEF_C_BLOCK_ROWS],
                                                     (JDIMENSION)rec[JK_COEF_C_V]);
  }
  /* Slots this frame does not use would still be written as DQT segments. */
  for (q = slots; q < NUM_QUANT_TBLS; q++) cinfo->quant_tbl_ptrs[q] = NULL;
  if (progressive) jpeg_simple_progression(cinfo);

  jpeg_write_coefficients(cinfo, arrays); /* realizes the arrays; no data is read until jpeg_finish_compress */
  for (ci = 0; ci < n; ci++) {
    const int32_t *rec = (const int32_t *)(frame + HEADER_BYTES + (size_t)ci * RECORD_BYTES);
    JDIMENSION rows = (JDIMENSION)rec[JK_COEF_C_BLOCK_ROWS], row;
    size_t row_values = (size_t)rec[JK_COEF_C_BLOCKS_PER_ROW] * DCTSIZE2;
    const int16_t *plane = (const int16_t *)(frame + rec[JK_COEF_C_DATA_OFFSET]);
    if (cinfo->comp_info[ci].width_in_blocks > (JDIMENSION)rec[JK_COEF_C_BLOCKS_PER_ROW] ||
        cinfo->comp_info[ci].height_in_blocks > rows)
      return jk_status_set(JK_E_INVALID_ARGUMENT, "plane smaller than the component");
    for (row = 0; row < rows; row++) {
      JBLOCKARRAY blocks = (*cinfo->mem->access_virt_barray)((j_common_ptr)cinfo, arrays[ci], row, 1, TRUE);
      memcpy(blocks[0], plane + (size_t)row * row_values, row_values * sizeof(int16_t));
    }
  }
  jpeg_finish_compress(cinfo);
  return JK_OK;
}

int jk_coef_write(const uint8_t *frame, size_t frame_len, int optimize, int progressive, int restart_interval,
                  uint8_t **out, size_t *out_len) {
  jk_coef_writer *w;
  int rc;
  jk_status_reset();
  if (out == NULL || out_len == NULL || frame == NULL) return jk_status_set(JK_E_INVALID_ARGUMENT, "missing buffer");
  *out = NULL;
  *out_len = 0;
  if (((uintptr_t)frame & 3) != 0) return jk_status_set(JK_E_INVALID_ARGUMENT, "coefficient buffer not aligned");
  if (restart_interval < 0 || restart_interval > 65535)
    return jk_status_set(JK_E_INVALID_ARGUMENT, "restart interval must be 0..65535 MCUs");
  rc = check_frame(frame, frame_len);
  if (rc != 0) return rc;
  w = (jk_coef_writer *)calloc(1, sizeof *w);
  if (w == NULL) return jk_status_set(JK_E_OUT_OF_MEMORY, "out of memory");
  rc = run_write(w, frame, frame_len, optimize, progressive, restart_interval);
  if (rc == JK_OK) {
    *out = w->dest.buffer;
    *out_len = w->dest.size;
  } else {
    free(w->dest.buffer);
  }
  if (w->created) jpeg_destroy_compress(&w->cinfo);
  free(w);
  return rc;
}
