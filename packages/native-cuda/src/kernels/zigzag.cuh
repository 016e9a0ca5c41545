// Where natural-order (row-major) coefficient n of a block sits in zigzag order: the inverse of
// jpeg_natural_order, for the encoder's quantisation (encode-math.cuh) and the progressive decoder's layout
// (exact-math.cuh). Kernels copy the device table into shared memory where a warp's lanes index it at random.
#pragma once

#include <cstdint>

#define JK_ZIGZAG_OF                                                                                             \
  0, 1, 5, 6, 14, 15, 27, 28, 2, 4, 7, 13, 16, 26, 29, 42, 3, 8, 12, 17, 25, 30, 41, 43, 9, 11, 18, 24, 31, 40, 44, \
      53, 10, 19, 23, 32, 39, 45, 52, 54, 20, 22, 33, 38, 46, 51, 55, 60, 21, 34, 37, 47, 50, 56, 59, 61, 35, 36,  \
      48, 49, 57, 58, 62, 63

namespace jpegkit {

constexpr uint8_t kZigzagOf[64] = {JK_ZIGZAG_OF};
#if defined(__CUDACC__)
__constant__ const uint8_t kZigzagOfDevice[64] = {JK_ZIGZAG_OF};
#endif

}  // namespace jpegkit
