// Reading a call's input image — a CudaImage that stays on the device, or host pixels (width, height, stride,
// format, data) — into a job, for every native entry that takes an image (encode, runOps).
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "args.h"
#include "device-image.h"
#include "pixel-format.h"

namespace jpegkit {

// Fills job.device (sharing the block, so releasing the image meanwhile is safe) or job.data/dataRef/stride,
// plus job.width/height/format. On a bad input it throws a TypeError naming `what` and returns false.
template <typename Job>
bool ReadImageInput(Napi::Env env, const Napi::Object& input, const std::string& what, Job* job) {
  if (CudaImageHandle* image = CudaImageHandle::From(input.Get("image"))) {
    if (!image->data().memory) return Throw(env, what + ": the device image has been released");
    job->device = image->data();
    job->width = job->device.width;
    job->height = job->device.height;
    job->format = job->device.format;
    return true;
  }
  std::string format;
  int64_t width = 0, height = 0, stride = 0;
  if (!ReadInt(input, "width", 1, 65535, &width) || !ReadInt(input, "height", 1, 65535, &height) ||
      !ReadInt(input, "stride", 1, int64_t{1} << 31, &stride) || !ReadString(input, "format", &format)) {
    return false;
  }
  if (!ParsePixelFormat(format, &job->format)) return Throw(env, "Unknown pixel format " + format);
  Napi::Value data = input.Get("data");
  if (!IsUint8Array(data)) return Throw(env, "Expected a Uint8Array for data");
  Napi::Uint8Array pixels = data.As<Napi::Uint8Array>();
  job->width = static_cast<int>(width);
  job->height = static_cast<int>(height);
  job->stride = static_cast<size_t>(stride);
  const size_t rowBytes = static_cast<size_t>(job->width) * BytesPerPixel(job->format);
  const size_t rows = RowsOf(job->format, job->height);
  if (job->stride < rowBytes || pixels.ByteLength() < job->stride * (rows - 1) + rowBytes) {
    return Throw(env, what + ": data is too small for the image");
  }
  job->dataRef = Napi::Persistent(pixels);
  job->data = pixels.Data();
  return true;
}

}  // namespace jpegkit
