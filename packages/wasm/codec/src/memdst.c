/* Memory destination manager: a malloc'ed buffer that doubles when full (jk_free in heap.c releases it). */
#include <stdlib.h>

#include <jerror.h>

#include "jk_internal.h"

static void dst_init(j_compress_ptr cinfo) {
  jk_mem_dest *dest = (jk_mem_dest *)cinfo->dest;
  dest->buffer = (uint8_t *)malloc(dest->capacity);
  if (dest->buffer == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 10);
  dest->size = 0;
  dest->pub.next_output_byte = dest->buffer;
  dest->pub.free_in_buffer = dest->capacity;
}

/* Called only when the buffer is full. */
static boolean dst_grow(j_compress_ptr cinfo) {
  jk_mem_dest *dest = (jk_mem_dest *)cinfo->dest;
  size_t used = dest->capacity;
  size_t capacity = used * 2;
  uint8_t *buffer;
  if (capacity <= used) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 11);
  buffer = (uint8_t *)realloc(dest->buffer, capacity);
  if (buffer == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 11);
  dest->buffer = buffer;
  dest->capacity = capacity;
  dest->pub.next_output_byte = buffer + used;
  dest->pub.free_in_buffer = capacity - used;
  return TRUE;
}

static void dst_term(j_compress_ptr cinfo) {
  jk_mem_dest *dest = (jk_mem_dest *)cinfo->dest;
  dest->size = dest->capacity - dest->pub.free_in_buffer;
}

void jk_mem_dest_init(j_compress_ptr cinfo, jk_mem_dest *dest, size_t initial_capacity) {
  dest->pub.init_destination = dst_init;
  dest->pub.empty_output_buffer = dst_grow;
  dest->pub.term_destination = dst_term;
  dest->buffer = NULL;
  dest->capacity = initial_capacity < 4096 ? 4096 : initial_capacity;
  dest->size = 0;
  cinfo->dest = &dest->pub;
}
