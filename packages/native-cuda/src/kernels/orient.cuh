// EXIF orientation as the kernels apply it (core's ops/orient.ts): which stored pixel lands on display pixel
// (x, y). __host__ __device__, so the host test harnesses run the same mapping.
#pragma once

#if defined(__CUDACC__)
#define JK_ORIENT_FN __host__ __device__ __forceinline__
#else
#define JK_ORIENT_FN inline
#endif

namespace jpegkit {

// Orientations 5–8 swap the axes: the display image is srcHeight × srcWidth then.
JK_ORIENT_FN void StoredPixel(int orientation, int x, int y, int srcWidth, int srcHeight, int* sx, int* sy) {
  switch (orientation) {
    case 2: *sx = srcWidth - 1 - x; *sy = y; break;                  // flop
    case 3: *sx = srcWidth - 1 - x; *sy = srcHeight - 1 - y; break;  // rotate 180
    case 4: *sx = x; *sy = srcHeight - 1 - y; break;                 // flip
    case 5: *sx = y; *sy = x; break;                                 // transpose
    case 6: *sx = y; *sy = srcHeight - 1 - x; break;                 // rotate 90 clockwise
    case 7: *sx = srcWidth - 1 - y; *sy = srcHeight - 1 - x; break;  // transverse
    case 8: *sx = srcWidth - 1 - y; *sy = x; break;                  // rotate 270 clockwise
    default: *sx = x; *sy = y; break;
  }
}

}  // namespace jpegkit
