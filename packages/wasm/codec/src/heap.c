/* Heap helpers for JavaScript: freeing codec-allocated buffers and measuring what is in use. */
#include <malloc.h>
#include <stdlib.h>

#include "jk_internal.h"

void jk_free(void *ptr) { free(ptr); }

size_t jk_heap_used(void) {
  struct mallinfo info = mallinfo();
  return (size_t)info.uordblks;
}
