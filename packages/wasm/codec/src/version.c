/* ABI and library versions, so the JS loader can refuse a mismatched build. */
#include "jk_internal.h"

#define JK_STR2(x) #x
#define JK_STR(x) JK_STR2(x)

int jk_abi_version(void) { return JK_ABI_VERSION; }

const char *jk_version(void) {
  return "jpegkit-wasm " JK_STR(JK_ABI_VERSION) " libjpeg-turbo " JK_STR(LIBJPEG_TURBO_VERSION);
}
