// See exact-pixels.h.
#include "exact-pixels.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "device-pool.h"

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

bool ExactGridSupported(const ExactFrameGrid& grid, std::string* reason) {
  for (int c = 0; c < grid.components; ++c) {
    const ExactComponentGrid& k = grid.component[c];
    ExactPlane plane{};
    if (!PlanUpsample(k.h, k.v, grid.maxH, grid.maxV, (grid.width * k.h + grid.maxH - 1) / grid.maxH, &plane,
                      reason)) {
      return false;
    }
  }
  return true;
}

Failure ExactPixelsPlan::Add(const ExactFrameGrid& grid, const int16_t* const* coefficients, const int16_t* quant,
                             uint8_t* planes, PixelFormat format, int orientation, uint8_t* out, size_t outPitch,
                             int outHeight) {
  const int outPlanes = ExactOutPlanes(grid.components, format);
  size_t offset[3], pitch[3];
  LayoutExactPlanes(grid, offset, pitch);
  ExactImageJob job{};
  ExactFrame& frame = job.frame;
  frame.width = grid.width;
  frame.height = grid.height;
  frame.outPlanes = outPlanes;
  // Gray output from a colour frame needs the luma plane only.
  const int idctComponents = outPlanes == 1 ? 1 : grid.components;
  for (int c = 0; c < grid.components; ++c) {
    const ExactComponentGrid& k = grid.component[c];
    ExactPlane& plane = frame.planes[c];
    plane.widthIn = (grid.width * k.h + grid.maxH - 1) / grid.maxH;
    plane.heightIn = (grid.height * k.v + grid.maxV - 1) / grid.maxV;
    std::string reason;
    if (!PlanUpsample(k.h, k.v, grid.maxH, grid.maxV, plane.widthIn, &plane, &reason)) {
      return Fail("E_UNSUPPORTED", reason);
    }
    plane.data = planes + offset[c];
    plane.pitch = static_cast<int64_t>(pitch[c]);
  }
  for (int c = 0; c < idctComponents; ++c) {
    const ExactComponentGrid& k = grid.component[c];
    ExactIdctEntry entry{};
    entry.job = ExactIdctJob{coefficients[c], quant + 64 * c, planes + offset[c], static_cast<int64_t>(pitch[c]),
                             k.blocksPerRow, k.blockRows};
    entry.firstBlock = blocks_;
    blocks_ += static_cast<int64_t>(k.blocksPerRow) * k.blockRows;
    idct_.push_back(entry);
  }
  const bool swap = orientation >= 5;
  job.outWidth = swap ? grid.height : grid.width;
  job.outHeight = swap ? grid.width : grid.height;
  job.orientation = orientation;
  job.out = LayoutOf(format, out, outPitch, static_cast<size_t>(outHeight));
  SourceChannels(format, outPlanes, job.source);
  maxWidth_ = std::max(maxWidth_, job.outWidth);
  maxHeight_ = std::max(maxHeight_, job.outHeight);
  images_.push_back(job);
  return Ok();
}

size_t ExactPixelsPlan::BytesFor(size_t images) {
  return images * (3 * sizeof(ExactIdctEntry) + sizeof(ExactImageJob));
}

void ExactPixelsPlan::Write(uint8_t* host) const {
  std::memcpy(host, images_.data(), images_.size() * sizeof(ExactImageJob));
  std::memcpy(host + images_.size() * sizeof(ExactImageJob), idct_.data(), idct_.size() * sizeof(ExactIdctEntry));
}

Failure ExactPixelsPlan::Launch(const uint8_t* device, cudaStream_t stream) const {
  JK_TRY(LaunchIdct(device, stream));
  return LaunchImages(device, stream);
}

Failure ExactPixelsPlan::LaunchIdct(const uint8_t* device, cudaStream_t stream) const {
  if (images_.empty()) return Ok();
  const auto* entries = reinterpret_cast<const ExactIdctEntry*>(device + images_.size() * sizeof(ExactImageJob));
  JK_CUDA(LaunchExactIdct(entries, static_cast<int>(idct_.size()), blocks_, stream));
  return Ok();
}

Failure ExactPixelsPlan::LaunchImages(const uint8_t* device, cudaStream_t stream) const {
  if (images_.empty()) return Ok();
  const auto* jobs = reinterpret_cast<const ExactImageJob*>(device);
  JK_CUDA(LaunchExactImages(jobs, static_cast<int>(images_.size()), maxWidth_, maxHeight_, stream));
  return Ok();
}

}  // namespace jpegkit
