/* Declarations shared by the codec's translation units; nothing here is exported to JavaScript. */
#ifndef JK_INTERNAL_H
#define JK_INTERNAL_H

#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE */

#include <jpeglib.h>

#include "jk.h"

/* ---- errors.c: libjpeg error manager that turns errors and corrupt-data warnings into JK_E_* codes ---- */

typedef struct jk_error_mgr {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  int strict;        /* a corrupt-data warning is fatal */
  int fatal_code;    /* JK_E_* of the error that longjmp'ed */
  int warn_code;     /* JK_E_* of the corrupt-data warnings seen (JK_E_TRUNCATED wins), 0 when none */
  char message[JMSG_LENGTH_MAX];      /* message of the fatal error */
  char warn_message[JMSG_LENGTH_MAX]; /* message of the warning behind warn_code */
} jk_error_mgr;

/* Installs the manager; the caller must setjmp(err->jump) before calling into libjpeg. */
struct jpeg_error_mgr *jk_error_init(jk_error_mgr *err, int strict);

/* Clears the last-error state at the start of an exported call. */
void jk_status_reset(void);
/* Records code and message as the last error; returns code. */
int jk_status_set(int code, const char *message);
/* Records how many rows the last decode produced. */
void jk_status_rows(int rows);

/* ---- memsrc.c / memdst.c ---- */

/* Reads len bytes at data; past the end the source inserts an EOI after a JWRN_JPEG_EOF warning, like djpeg's
 * file source, so truncated files decode the same way. */
void jk_mem_src(j_decompress_ptr cinfo, const uint8_t *data, size_t len);

typedef struct jk_mem_dest {
  struct jpeg_destination_mgr pub;
  uint8_t *buffer; /* malloc'ed, grows by doubling; owned by the caller once compression finishes */
  size_t capacity;
  size_t size;     /* bytes written, valid after jpeg_finish_compress */
} jk_mem_dest;

void jk_mem_dest_init(j_compress_ptr cinfo, jk_mem_dest *dest, size_t initial_capacity);

/* ---- formats.c ---- */

int jk_format_valid(int format);
int jk_format_channels(int format);  /* channels per pixel: 1, 3 or 4 */
int jk_format_planar(int format);
int jk_format_row_bytes(int format); /* bytes one pixel takes in a row (1 for planar) */
/* Interleaved color space libjpeg reads/writes for the format (planar: JCS_EXT_RGB / JCS_EXT_BGR). */
J_COLOR_SPACE jk_format_color_space(int format);
/* Bytes an image of this geometry needs, or 0 when it overflows size_t (planes of stride * height bytes). */
size_t jk_image_bytes(int format, int width, int height, int stride);

/* The coefficient arrays wasm32 memory can hold (with the input, the output and a transform's workspace); larger
 * frames are JK_E_TOO_LARGE before libjpeg allocates anything. */
#define JK_MAX_COEF_BYTES ((uint64_t)1 << 30)

/* Bytes of the coefficient arrays jpeg_read_coefficients allocates for this frame (after jpeg_read_header);
 * coefficients.c. */
uint64_t jk_coef_bytes(j_decompress_ptr cinfo);

#endif /* JK_INTERNAL_H */
