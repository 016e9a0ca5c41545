// nvJPEG statuses and CUDA errors → jpegkit error codes and messages.
#include "errors.h"

#include <utility>

namespace jpegkit {

Failure Fail(const char* code, std::string message) { return Failure{code, std::move(message), {}}; }

const char* NvjpegStatusName(nvjpegStatus_t status) {
  switch (status) {
    case NVJPEG_STATUS_SUCCESS: return "NVJPEG_STATUS_SUCCESS";
    case NVJPEG_STATUS_NOT_INITIALIZED: return "NVJPEG_STATUS_NOT_INITIALIZED";
    case NVJPEG_STATUS_INVALID_PARAMETER: return "NVJPEG_STATUS_INVALID_PARAMETER";
    case NVJPEG_STATUS_BAD_JPEG: return "NVJPEG_STATUS_BAD_JPEG";
    case NVJPEG_STATUS_JPEG_NOT_SUPPORTED: return "NVJPEG_STATUS_JPEG_NOT_SUPPORTED";
    case NVJPEG_STATUS_ALLOCATOR_FAILURE: return "NVJPEG_STATUS_ALLOCATOR_FAILURE";
    case NVJPEG_STATUS_EXECUTION_FAILED: return "NVJPEG_STATUS_EXECUTION_FAILED";
    case NVJPEG_STATUS_ARCH_MISMATCH: return "NVJPEG_STATUS_ARCH_MISMATCH";
    case NVJPEG_STATUS_INTERNAL_ERROR: return "NVJPEG_STATUS_INTERNAL_ERROR";
    case NVJPEG_STATUS_IMPLEMENTATION_NOT_SUPPORTED: return "NVJPEG_STATUS_IMPLEMENTATION_NOT_SUPPORTED";
    case NVJPEG_STATUS_INCOMPLETE_BITSTREAM: return "NVJPEG_STATUS_INCOMPLETE_BITSTREAM";
  }
  return "NVJPEG_STATUS_UNKNOWN";
}

const char* NvjpegStatusCode(nvjpegStatus_t status) {
  switch (status) {
    case NVJPEG_STATUS_SUCCESS: return "";
    case NVJPEG_STATUS_BAD_JPEG: return "E_CORRUPT";
    case NVJPEG_STATUS_INCOMPLETE_BITSTREAM: return "E_TRUNCATED";
    case NVJPEG_STATUS_JPEG_NOT_SUPPORTED:
    case NVJPEG_STATUS_IMPLEMENTATION_NOT_SUPPORTED: return "E_UNSUPPORTED";
    case NVJPEG_STATUS_ALLOCATOR_FAILURE: return "E_OUT_OF_MEMORY";
    case NVJPEG_STATUS_ARCH_MISMATCH: return "E_BACKEND_INIT";
    case NVJPEG_STATUS_EXECUTION_FAILED:
    case NVJPEG_STATUS_INTERNAL_ERROR: return "E_DEVICE_LOST";
    // nvJPEG answers some malformed streams with INVALID_PARAMETER; our own arguments are checked before
    // every call, so here it means "this image", and the TS layer sends the image to the next backend.
    case NVJPEG_STATUS_INVALID_PARAMETER:
    case NVJPEG_STATUS_NOT_INITIALIZED: return "E_UNSUPPORTED";
  }
  return "E_DEVICE_LOST";
}

Failure FromNvjpeg(nvjpegStatus_t status, const char* call) {
  std::string what = NvjpegStatusName(status);
  switch (status) {
    case NVJPEG_STATUS_BAD_JPEG: what += " (corrupt or not a JPEG)"; break;
    case NVJPEG_STATUS_INCOMPLETE_BITSTREAM: what += " (the data ends early)"; break;
    case NVJPEG_STATUS_JPEG_NOT_SUPPORTED: what += " (a JPEG feature nvJPEG does not decode)"; break;
    case NVJPEG_STATUS_ALLOCATOR_FAILURE: what += " (out of GPU or pinned memory)"; break;
    default: break;
  }
  return Fail(NvjpegStatusCode(status), "nvJPEG: " + what + " in " + call);
}

const char* CudaErrorCode(cudaError_t error) {
  switch (error) {
    case cudaSuccess: return "";
    case cudaErrorMemoryAllocation: return "E_OUT_OF_MEMORY";
    case cudaErrorInvalidValue:
    case cudaErrorInvalidPitchValue:
    case cudaErrorInvalidDevicePointer: return "E_INVALID_ARGUMENT";
    default: return "E_DEVICE_LOST";  // illegal address, launch failure, ECC, no device, driver gone …
  }
}

Failure FromCuda(cudaError_t error, const char* call) {
  return Fail(CudaErrorCode(error),
              std::string("CUDA: ") + cudaGetErrorName(error) + " (" + cudaGetErrorString(error) + ") in " + call);
}

Napi::Error ToJsError(Napi::Env env, const Failure& failure) {
  Napi::Error error = Napi::Error::New(env, failure.message);
  error.Value().Set("code", Napi::String::New(env, failure.code.empty() ? "E_DEVICE_LOST" : failure.code));
  error.Value().Set("backend", Napi::String::New(env, "cuda"));
  if (!failure.detail.empty()) error.Value().Set("detail", Napi::String::New(env, failure.detail));
  return error;
}

}  // namespace jpegkit
