/* Memory source manager: the whole JPEG is in wasm memory. */
#include <jerror.h>

#include "jk_internal.h"

static const JOCTET fake_eoi[2] = {0xFF, JPEG_EOI};

static void src_init(j_decompress_ptr cinfo) { (void)cinfo; }

/* Only called once the data is used up: warn (JWRN_JPEG_EOF) and feed an EOI marker, so the decoder finishes the
 * image with what it has, exactly as with djpeg's file source. */
static boolean src_fill(j_decompress_ptr cinfo) {
  if (cinfo->src->next_input_byte == NULL) ERREXIT(cinfo, JERR_INPUT_EMPTY);
  WARNMS(cinfo, JWRN_JPEG_EOF);
  cinfo->src->next_input_byte = fake_eoi;
  cinfo->src->bytes_in_buffer = sizeof fake_eoi;
  return TRUE;
}

static void src_skip(j_decompress_ptr cinfo, long num_bytes) {
  struct jpeg_source_mgr *src = cinfo->src;
  size_t n, past;
  if (num_bytes <= 0) return;
  n = (size_t)num_bytes;
  if (n <= src->bytes_in_buffer) {
    src->next_input_byte += n;
    src->bytes_in_buffer -= n;
    return;
  }
  /* Skipping past the end: a refilling source would hand out the 2-byte EOI over and over and stop inside the
   * last copy; land on the same byte with one refill (and one warning). */
  past = n - src->bytes_in_buffer;
  src_fill(cinfo);
  past = (past - 1) % sizeof fake_eoi + 1;
  src->next_input_byte += past;
  src->bytes_in_buffer -= past;
}

static void src_term(j_decompress_ptr cinfo) { (void)cinfo; }

void jk_mem_src(j_decompress_ptr cinfo, const uint8_t *data, size_t len) {
  struct jpeg_source_mgr *src;
  if (cinfo->src == NULL)
    cinfo->src = (struct jpeg_source_mgr *)(*cinfo->mem->alloc_small)((j_common_ptr)cinfo, JPOOL_PERMANENT,
                                                                      sizeof(struct jpeg_source_mgr));
  src = cinfo->src;
  src->init_source = src_init;
  src->fill_input_buffer = src_fill;
  src->skip_input_data = src_skip;
  src->resync_to_restart = jpeg_resync_to_restart;
  src->term_source = src_term;
  /* An empty input keeps next_input_byte NULL so the first refill reports JERR_INPUT_EMPTY. */
  src->next_input_byte = len > 0 ? (const JOCTET *)data : NULL;
  src->bytes_in_buffer = len;
}
