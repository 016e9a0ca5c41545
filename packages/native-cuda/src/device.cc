// Device query: the reasons a CUDA backend cannot run here, one sentence each, and the facts when it can.
#include "device.h"

#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include "kernels/kernels.h"

namespace jpegkit {

std::string CudaVersionString(int version) {
  return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10);
}

namespace {

// The static CUDA runtime loads the driver lazily; load it ourselves first so a missing driver gets its own
// sentence instead of cudaErrorInsufficientDriver. The handle is kept: cudart uses the same library.
bool DriverPresent(std::string* detail) {
  struct Driver {
    void* handle = nullptr;
    std::string error;
  };
  static const Driver driver = [] {  // thread-safe once: a static local's initialiser
    Driver d;
    dlerror();
    d.handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (d.handle == nullptr) {
      const char* why = dlerror();
      d.error = why ? why : "dlopen failed";
    }
    return d;
  }();
  *detail = driver.error;
  return driver.handle != nullptr;
}

}  // namespace

bool QueryDevice(int ordinal, DeviceInfo* info, std::string* reason) {
  std::string detail;
  if (!DriverPresent(&detail)) {
    *reason = "no NVIDIA driver (libcuda.so.1 not found)";
    return false;
  }
  cudaDriverGetVersion(&info->driverVersion);
  cudaRuntimeGetVersion(&info->runtimeVersion);
  int count = 0;
  cudaError_t error = cudaGetDeviceCount(&count);
  if (error == cudaErrorNoDevice || (error == cudaSuccess && count == 0)) {
    *reason = "no CUDA device";
    return false;
  }
  if (error == cudaErrorInsufficientDriver) {
    *reason = "the NVIDIA driver supports CUDA " + CudaVersionString(info->driverVersion) +
              ", older than the CUDA " + CudaVersionString(info->runtimeVersion) +
              " runtime this addon is built with (update the driver)";
    return false;
  }
  if (error != cudaSuccess) {
    *reason = std::string("CUDA cannot start: ") + cudaGetErrorName(error) + " (" + cudaGetErrorString(error) + ")";
    return false;
  }
  info->count = count;
  if (ordinal < 0 || ordinal >= count) {
    *reason = "no CUDA device " + std::to_string(ordinal) + " (" + std::to_string(count) + " visible)";
    return false;
  }
  info->ordinal = ordinal;
  cudaDeviceProp props{};
  if ((error = cudaGetDeviceProperties(&props, ordinal)) != cudaSuccess) {
    *reason = std::string("cudaGetDeviceProperties failed: ") + cudaGetErrorString(error);
    return false;
  }
  info->name = props.name;
  info->major = props.major;
  info->minor = props.minor;
  info->multiprocessors = props.multiProcessorCount;
  info->totalMemory = props.totalGlobalMem;
  if (props.major < 6) {
    *reason = "compute capability " + std::to_string(props.major) + "." + std::to_string(props.minor) + " < 6.0";
    return false;
  }
  if ((error = cudaSetDevice(ordinal)) != cudaSuccess) {
    *reason = std::string("cudaSetDevice failed: ") + cudaGetErrorString(error);
    return false;
  }
  size_t total = 0;
  if (cudaMemGetInfo(&info->freeMemory, &total) != cudaSuccess) info->freeMemory = 0;
  if ((error = ProbeKernels()) != cudaSuccess) {
    cudaGetLastError();  // not sticky; clear it
    *reason = "the addon's CUDA kernels have no image for compute capability " + std::to_string(props.major) + "." +
              std::to_string(props.minor) + " (built for sm_80, sm_90, compute_90; " + cudaGetErrorName(error) + ")";
    return false;
  }
  return true;
}

}  // namespace jpegkit
