// Kernels queued back to back on one stream as programmatic dependent launches (compute capability 9.0 and up):
// a kernel launched with LaunchChained may be scheduled while the kernel before it is still running, so its
// launch and its thread blocks' start overlap that kernel's end. Every kernel that LaunchChained launches, and
// every kernel launched before one, begins with JK_CHAIN_START(): it lets the next kernel be scheduled, then
// waits until the previous one has finished and its writes are visible — before any other memory access or
// early return (a grid whose blocks all returned without waiting would count as finished early, and the kernel
// after it could then overtake the one before). One 1080p photo's pipeline runs ~25 kernels in a row; each
// boundary cost a few µs of launch and ramp.
#pragma once

#include <cuda_runtime.h>

#include <atomic>
#include <cstdlib>

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
#define JK_CHAIN_START()                                  \
  do {                                                    \
    asm volatile("griddepcontrol.wait;" ::: "memory");    \
  } while (0)
#else
#define JK_CHAIN_START() \
  do {                   \
  } while (0)
#endif

namespace jpegkit {

// Whether the current device takes programmatic dependent launches (asked once per device; off with
// JPEGKIT_CUDA_CHAIN=0, for measurements).
inline bool ChainedLaunches() {
  static std::atomic<int> known[64] = {};  // 0 unknown, 1 no, 2 yes
  static const bool disabled = [] {
    const char* value = std::getenv("JPEGKIT_CUDA_CHAIN");
    return value != nullptr && value[0] == '0';
  }();
  if (disabled) return false;
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess || device < 0 || device >= 64) return false;
  int state = known[device].load(std::memory_order_relaxed);
  if (state == 0) {
    int major = 0;
    state = cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) == cudaSuccess && major >= 9
                ? 2
                : 1;
    known[device].store(state, std::memory_order_relaxed);
  }
  return state == 2;
}

// kernel<<<grid, block, 0, stream>>>(args…), as a programmatic dependent launch where the device takes them.
template <typename... Params, typename... Args>
cudaError_t LaunchChained(void (*kernel)(Params...), dim3 grid, dim3 block, cudaStream_t stream, Args&&... args) {
  cudaLaunchConfig_t config = {};
  config.gridDim = grid;
  config.blockDim = block;
  config.dynamicSmemBytes = 0;
  config.stream = stream;
  cudaLaunchAttribute attribute = {};
  attribute.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attribute.val.programmaticStreamSerializationAllowed = 1;
  if (ChainedLaunches()) {
    config.attrs = &attribute;
    config.numAttrs = 1;
  }
  return cudaLaunchKernelEx(&config, kernel, static_cast<Params>(args)...);
}

}  // namespace jpegkit
