// See exact-pixels.h.
#include "exact-pixels.h"

#include <string>

#include "device-pool.h"
#include "kernels/exact.h"
#include "kernels/kernels.h"

namespace jpegkit {

size_t LayoutExactPlanes(const ExactFrameGrid& grid, size_t offset[3], size_t pitch[3]) {
  size_t bytes = 0;
  for (int c = 0; c < grid.components; ++c) {
    const ExactComponentGrid& k = grid.component[c];
    pitch[c] = DevicePitch(static_cast<size_t>(k.blocksPerRow) * 8);
    offset[c] = bytes;
    bytes += pitch[c] * static_cast<size_t>(k.blockRows) * 8;
  }
  return bytes;
}

Failure LaunchExactPixels(const ExactFrameGrid& grid, const int16_t* const* coefficients, const int16_t* quant,
                          uint8_t* planes, uint8_t* scratch, PixelFormat format,
                          int orientation, uint8_t* out, size_t outPitch, int outHeight, cudaStream_t stream) {
  const int outPlanes = ExactOutPlanes(grid.components, format);
  size_t offset[3], pitch[3];
  LayoutExactPlanes(grid, offset, pitch);
  ExactFrame frame{};
  frame.width = grid.width;
  frame.height = grid.height;
  frame.outPlanes = outPlanes;
  ExactIdctJob jobs[3];
  for (int c = 0; c < grid.components; ++c) {
    const ExactComponentGrid& k = grid.component[c];
    ExactPlane& plane = frame.planes[c];
    plane.widthIn = (grid.width * k.h + grid.maxH - 1) / grid.maxH;
    plane.heightIn = (grid.height * k.v + grid.maxV - 1) / grid.maxV;
    std::string reason;
    if (!PlanUpsample(k.h, k.v, grid.maxH, grid.maxV, plane.widthIn, &plane, &reason)) {
      return Fail("E_UNSUPPORTED", reason);
    }
    jobs[c].coefficients = coefficients[c];
    jobs[c].quant = quant + 64 * c;
    jobs[c].plane = planes + offset[c];
    jobs[c].pitch = static_cast<int64_t>(pitch[c]);
    jobs[c].blocksPerRow = k.blocksPerRow;
    jobs[c].blockRows = k.blockRows;
    plane.data = jobs[c].plane;
    plane.pitch = jobs[c].pitch;
  }
  // Gray output from a colour frame needs the luma plane only.
  JK_CUDA(LaunchExactIdct(jobs, outPlanes == 1 ? 1 : grid.components, stream));
  const size_t scratchPitch = DevicePitch(static_cast<size_t>(grid.width));
  JK_CUDA(LaunchExactColor(frame, scratch, static_cast<int64_t>(scratchPitch), stream));
  int source[4];
  SourceChannels(format, outPlanes, source);
  JK_CUDA(LaunchRemap(PlanarLayout(outPlanes, scratch, scratchPitch, grid.height), grid.width, grid.height,
                      LayoutOf(format, out, outPitch, outHeight), source, orientation, stream));
  return Ok();
}

}  // namespace jpegkit
