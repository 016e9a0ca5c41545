// A 2-D grid of 32×8 blocks over width×height, shared by the pixel-op launchers.
#pragma once

#include <cuda_runtime.h>

namespace jpegkit {

inline dim3 OpsBlock() { return dim3(32, 8); }
inline dim3 OpsGrid(int width, int height) {
  const dim3 block = OpsBlock();
  return dim3((width + block.x - 1) / block.x, (height + block.y - 1) / block.y);
}

}  // namespace jpegkit
