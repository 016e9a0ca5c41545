// What GPU is there, and can this addon use it: driver present, a device, compute capability, kernel images.
#pragma once

#include <cstddef>
#include <string>

namespace jpegkit {

struct DeviceInfo {
  int ordinal = 0;
  int count = 0;  // visible CUDA devices
  std::string name;
  int major = 0, minor = 0;
  size_t totalMemory = 0, freeMemory = 0;
  int multiprocessors = 0;
  int driverVersion = 0, runtimeVersion = 0;  // 13000 = 13.0
  // Filled by the engine once nvJPEG is loaded (hardware decoder = NVJPG engines, A100/H100/H200).
  bool hardwareDecoder = false;
  unsigned hardwareEngines = 0, hardwareCoresPerEngine = 0;
  std::string nvjpegVersion, nvjpegPath;
};

// Checks, in order: libcuda.so.1 can be loaded ("no NVIDIA driver (libcuda.so.1 not found)"), the driver is
// new enough for the CUDA runtime built in, a device exists ("no CUDA device"), `ordinal` is one of them,
// compute capability ≥ 6.0 ("compute capability X.Y < 6.0"), and the kernels have an image for it. Returns
// false with `reason` set when any check fails. Safe to call from any thread.
bool QueryDevice(int ordinal, DeviceInfo* info, std::string* reason);

// "13.0" from 13000.
std::string CudaVersionString(int version);

}  // namespace jpegkit
