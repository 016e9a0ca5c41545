// Failures as jpegkit error codes: every nvJPEG status and CUDA error the addon meets becomes one of core's
// codes (E_CORRUPT, E_UNSUPPORTED, E_OUT_OF_MEMORY, E_DEVICE_LOST …) with a message that names the call.
#pragma once

#include <cuda_runtime_api.h>
#include <napi.h>

#include <string>

#include "nvjpeg-api.h"

namespace jpegkit {

// A failure carried from a worker thread to the JS thread (no JS values are touched off the main thread).
struct Failure {
  std::string code;  // one of core's ERROR_CODES, e.g. "E_CORRUPT"
  std::string message;
  std::string detail;  // extra facts for the curious (dlerror text …), shown as error.detail
  bool ok() const { return code.empty(); }
};

inline Failure Ok() { return Failure{}; }
Failure Fail(const char* code, std::string message);

// "NVJPEG_STATUS_BAD_JPEG" and friends.
const char* NvjpegStatusName(nvjpegStatus_t status);
// The code an nvJPEG status maps to: BAD_JPEG → E_CORRUPT, INCOMPLETE_BITSTREAM → E_TRUNCATED,
// (JPEG_|IMPLEMENTATION_)NOT_SUPPORTED → E_UNSUPPORTED, ALLOCATOR_FAILURE → E_OUT_OF_MEMORY,
// EXECUTION_FAILED / INTERNAL_ERROR → E_DEVICE_LOST, ARCH_MISMATCH → E_BACKEND_INIT.
const char* NvjpegStatusCode(nvjpegStatus_t status);
Failure FromNvjpeg(nvjpegStatus_t status, const char* call);

// cudaErrorMemoryAllocation → E_OUT_OF_MEMORY; sticky and driver-level errors (illegal address, launch
// failure, ECC, no device …) → E_DEVICE_LOST; anything else → E_DEVICE_LOST too, so core retries the image on
// the next backend rather than losing it.
const char* CudaErrorCode(cudaError_t error);
Failure FromCuda(cudaError_t error, const char* call);

// A JS Error with `code` (and `backend: 'cuda'`) set, as the TS layer turns into a JpegError.
Napi::Error ToJsError(Napi::Env env, const Failure& failure);

}  // namespace jpegkit

// Early return of a Failure from a function that returns Failure.
#define JK_NVJPEG(call)                                           \
  do {                                                            \
    nvjpegStatus_t jk_status_ = (call);                           \
    if (jk_status_ != NVJPEG_STATUS_SUCCESS)                      \
      return ::jpegkit::FromNvjpeg(jk_status_, #call);            \
  } while (0)

#define JK_CUDA(call)                                             \
  do {                                                            \
    cudaError_t jk_error_ = (call);                               \
    if (jk_error_ != cudaSuccess) return ::jpegkit::FromCuda(jk_error_, #call); \
  } while (0)

#define JK_TRY(expr)                                              \
  do {                                                            \
    ::jpegkit::Failure jk_failure_ = (expr);                      \
    if (!jk_failure_.ok()) return jk_failure_;                    \
  } while (0)
