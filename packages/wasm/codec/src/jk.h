/*
 * jpegkit wasm codec: the C API exported to JavaScript.
 *
 * Every exported function works on buffers in wasm memory and returns JK_OK (0), JK_PARTIAL (1, a partial decode,
 * see jk_decode) or a negative JK_E_* code; jk_last_error() and jk_last_error_code() then tell what happened.
 * The negative codes are -(index + 1) into @jpegkit/core's ERROR_CODES, so JS maps them without a table.
 */
#ifndef JK_H
#define JK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define JK_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define JK_EXPORT
#endif

/* Bumped whenever an exported signature, enum value or info field changes; JS checks it on load. */
#define JK_ABI_VERSION 1

enum jk_status {
  JK_OK = 0,
  JK_PARTIAL = 1, /* jk_decode in partial mode: the image is corrupt or truncated, see jk_last_error_code() */
  JK_E_CORRUPT = -1,
  JK_E_TRUNCATED = -2,
  JK_E_UNSUPPORTED = -3,
  JK_E_TOO_LARGE = -4,
  JK_E_INVALID_ARGUMENT = -5,
  /* -6 E_NO_BACKEND, -7 E_BACKEND_INIT, -8 E_DEVICE_LOST are never raised by the codec */
  JK_E_OUT_OF_MEMORY = -9
};

/* Pixel formats, in the order of @jpegkit/core's PIXEL_FORMATS. Planar formats store each channel as a plane of
 * stride * height bytes, planes back to back. */
enum jk_format {
  JK_FMT_RGB = 0,
  JK_FMT_RGBA = 1,
  JK_FMT_BGR = 2,
  JK_FMT_BGRA = 3,
  JK_FMT_GRAY = 4,
  JK_FMT_RGB_PLANAR = 5,
  JK_FMT_BGR_PLANAR = 6
};

/* Chroma subsampling for jk_encode (JK_SUBSAMP_GRAY writes a one-component grayscale JPEG). */
enum jk_subsampling {
  JK_SUBSAMP_444 = 444,
  JK_SUBSAMP_422 = 422,
  JK_SUBSAMP_420 = 420,
  JK_SUBSAMP_440 = 440,
  JK_SUBSAMP_411 = 411,
  JK_SUBSAMP_GRAY = 400
};

/* Fields jk_decode_info writes into its int32_t[JK_INFO_FIELDS] array. */
enum jk_info_field {
  JK_INFO_OUT_WIDTH = 0,     /* width jk_decode produces for this scale and crop */
  JK_INFO_OUT_HEIGHT = 1,
  JK_INFO_SCALED_WIDTH = 2,  /* whole image at this scale (the space crop coordinates live in) */
  JK_INFO_SCALED_HEIGHT = 3,
  JK_INFO_IMAGE_WIDTH = 4,   /* as stored in the SOF */
  JK_INFO_IMAGE_HEIGHT = 5,
  JK_INFO_COMPONENTS = 6,
  JK_INFO_COLOR_SPACE = 7,   /* libjpeg's J_COLOR_SPACE: 1 gray, 2 RGB, 3 YCbCr, 4 CMYK, 5 YCCK */
  JK_INFO_PROGRESSIVE = 8,
  JK_INFO_ARITHMETIC = 9,
  JK_INFO_PRECISION = 10,
  JK_INFO_WARNINGS = 11,     /* libjpeg warnings seen while reading the header */
  JK_INFO_FIELDS = 16
};

/* ---- status (errors.c) ---- */
JK_EXPORT const char *jk_last_error(void);  /* message of the last failure or partial decode, "" after success */
JK_EXPORT int jk_last_error_code(void);     /* its JK_E_* code, 0 after success */
JK_EXPORT int jk_last_rows(void);           /* rows of valid pixels the last jk_decode produced */

/* ---- version (version.c) ---- */
JK_EXPORT int jk_abi_version(void);
JK_EXPORT const char *jk_version(void);     /* "jpegkit-wasm <abi> libjpeg-turbo <version>" */

/* ---- decoding (decode.c) ---- */

/* Reads the header and fills info[JK_INFO_FIELDS] for the output jk_decode would produce with these arguments.
 * scale_num is 1..8 (the denominator is 8); crop is in scaled coordinates, crop_w == 0 meaning none. */
JK_EXPORT int jk_decode_info(const uint8_t *src, size_t len, int scale_num, int crop_x, int crop_y, int crop_w,
                             int crop_h, int32_t *info);

/* Decodes like `djpeg -dct int` (JDCT_ISLOW, fancy upsampling) into dst: rows dst_stride bytes apart (per plane
 * for planar formats); dst_len bytes are available. CMYK/YCCK images are converted to RGB the way djpeg's PPM
 * writer does. With partial != 0, corrupt or truncated data yields JK_PARTIAL and whatever libjpeg reconstructed
 * (rows past jk_last_rows() are zeroed) instead of an error. */
JK_EXPORT int jk_decode(const uint8_t *src, size_t len, int out_format, int scale_num, int crop_x, int crop_y,
                        int crop_w, int crop_h, uint8_t *dst, size_t dst_len, int dst_stride, int partial);

/* ---- encoding (encode.c) ---- */

/* Encodes like `cjpeg -quality Q -sample HxV [-progressive] [-optimize] [-restart NB] [-arithmetic] [-icc F]`
 * (JFIF APP0 included). restart_interval is in MCUs (0: none). exif is the TIFF structure (a leading
 * "Exif\0\0" is accepted too) written as APP1 before the ICC APP2 segments. On success *out is a buffer the
 * caller releases with jk_free. */
JK_EXPORT int jk_encode(const uint8_t *pixels, int width, int height, int stride, int in_format, int quality,
                        int subsampling, int progressive, int optimize, int restart_interval, int arithmetic,
                        const uint8_t *icc, size_t icc_len, const uint8_t *exif, size_t exif_len, uint8_t **out,
                        size_t *out_len);

/* ---- heap (heap.c) ---- */
JK_EXPORT void jk_free(void *ptr);     /* releases a buffer jk_encode returned */
JK_EXPORT size_t jk_heap_used(void);   /* bytes malloc has handed out and not taken back (leak checks) */

#endif /* JK_H */
