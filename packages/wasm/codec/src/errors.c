/*
 * Error handling: a libjpeg error manager that longjmps on errors, classifies errors and warnings by libjpeg's
 * message code into JK_E_* codes, and the "last error" state the exported functions report through.
 */
#include <string.h>

#include <jerror.h>

#include "jk_internal.h"

static struct {
  int code;
  int rows;
  char message[JMSG_LENGTH_MAX];
} last;

const char *jk_last_error(void) { return last.message; }
int jk_last_error_code(void) { return last.code; }
int jk_last_rows(void) { return last.rows; }

void jk_status_reset(void) {
  last.code = 0;
  last.rows = 0;
  last.message[0] = '\0';
}

int jk_status_set(int code, const char *message) {
  last.code = code;
  strncpy(last.message, message, sizeof last.message - 1);
  last.message[sizeof last.message - 1] = '\0';
  return code;
}

void jk_status_rows(int rows) { last.rows = rows; }

/* JK_E_* for a fatal libjpeg error. */
static int classify_error(int msg_code) {
  switch (msg_code) {
  case JERR_OUT_OF_MEMORY:
  case JERR_NO_BACKING_STORE:
  case JERR_TFILE_CREATE:
  case JERR_TFILE_READ:
  case JERR_TFILE_SEEK:
  case JERR_TFILE_WRITE:
    return JK_E_OUT_OF_MEMORY;
  case JERR_BAD_PRECISION:       /* 12-bit data in this 8-bit build */
  case JERR_SOF_UNSUPPORTED:     /* lossless, hierarchical */
  case JERR_COMPONENT_COUNT:
  case JERR_CONVERSION_NOTIMPL:
  case JERR_NOT_COMPILED:
  case JERR_NOTIMPL:
  case JERR_ARITH_NOTIMPL:
  case JERR_CCIR601_NOTIMPL:
  case JERR_FRACT_SAMPLE_NOTIMPL:
  case JERR_BAD_DCTSIZE:
    return JK_E_UNSUPPORTED;
  case JERR_IMAGE_TOO_BIG:
  case JERR_WIDTH_OVERFLOW:
    return JK_E_TOO_LARGE;
  case JERR_INPUT_EOF:
    return JK_E_TRUNCATED;
  case JERR_BAD_CROP_SPEC:
  case JERR_BAD_IN_COLORSPACE:
  case JERR_BAD_STATE:
  case JERR_BAD_BUFFER_MODE:
  case JERR_BAD_SCAN_SCRIPT:
  case JERR_BAD_PROG_SCRIPT:
  case JERR_BUFFER_SIZE:
    return JK_E_INVALID_ARGUMENT;
  default: /* includes JERR_INPUT_EMPTY (not a JPEG) and JERR_EMPTY_IMAGE (a zero dimension) */
    return JK_E_CORRUPT;
  }
}

/* JK_E_* for a warning (msg_level -1), or 0 for one that says nothing about the pixels. */
static int classify_warning(int msg_code) {
  switch (msg_code) {
  case JWRN_JPEG_EOF:
    return JK_E_TRUNCATED;
  case JWRN_ADOBE_XFORM: /* unknown transform code: libjpeg guesses the color space, as djpeg does */
  case JWRN_JFIF_MAJOR:
  case JWRN_BOGUS_ICC:
    return 0;
  default: /* JWRN_HIT_MARKER, JWRN_MUST_RESYNC, JWRN_EXTRANEOUS_DATA, JWRN_HUFF_BAD_CODE, ... */
    return JK_E_CORRUPT;
  }
}

static void on_error_exit(j_common_ptr cinfo) {
  jk_error_mgr *err = (jk_error_mgr *)cinfo->err;
  int code = classify_error(err->pub.msg_code);
  /* Data that ran out first and then broke the parser is truncated, not corrupt. */
  if (code == JK_E_CORRUPT && err->warn_code == JK_E_TRUNCATED) code = JK_E_TRUNCATED;
  err->fatal_code = code;
  (*err->pub.format_message)(cinfo, err->message);
  longjmp(err->jump, 1);
}

static void on_emit_message(j_common_ptr cinfo, int msg_level) {
  jk_error_mgr *err = (jk_error_mgr *)cinfo->err;
  int code;
  if (msg_level >= 0) return; /* trace messages */
  err->pub.num_warnings++;
  code = classify_warning(err->pub.msg_code);
  if (code == 0) return;
  if (err->warn_code == 0 || (code == JK_E_TRUNCATED && err->warn_code != JK_E_TRUNCATED)) {
    err->warn_code = code;
    (*err->pub.format_message)(cinfo, err->warn_message);
  }
  if (err->strict) {
    err->fatal_code = err->warn_code;
    memcpy(err->message, err->warn_message, sizeof err->message);
    longjmp(err->jump, 1);
  }
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

struct jpeg_error_mgr *jk_error_init(jk_error_mgr *err, int strict) {
  jpeg_std_error(&err->pub);
  err->pub.error_exit = on_error_exit;
  err->pub.emit_message = on_emit_message;
  err->pub.output_message = on_output_message;
  err->strict = strict;
  err->fatal_code = 0;
  err->warn_code = 0;
  err->message[0] = '\0';
  err->warn_message[0] = '\0';
  return &err->pub;
}
