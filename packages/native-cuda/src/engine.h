// The per-device decoding/encoding engine: nvJPEG handles (the hardware decoder's when the GPU has NVJPG
// engines, and the default one for the hybrid paths and the encoder), a pool of decode and encode slots (each
// with its own CUDA stream, nvJPEG states and pinned staging, so calls in flight overlap), and the device
// memory pool. Slots are made on first use and reused; nothing is created per call in steady state.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "device-pool.h"
#include "device.h"
#include "errors.h"
#include "nvjpeg-api.h"
#include "ops-table-cache.h"
#include "staging.h"

namespace jpegkit {

struct EngineOptions {
  int device = 0;
  int streams = 8;                     // decode slots (and as many encode slots), made on first use
  bool hardware = true;                // use the hardware decoder when the GPU has one
  size_t poolKeepBytes = 512u << 20;   // free device blocks kept for reuse
  size_t gpuHuffmanPixels = 1000000;   // above this, single images use GPU Huffman decoding (gpu-hybrid)
};

struct DecodeSlot {
  cudaStream_t stream = nullptr;
  // Our GPU Huffman decoder's work (kernel-decode.h), at the lowest priority: under load its long-running
  // blocks yield the SMs to the short kernels that keep the NVJPG engines fed.
  cudaStream_t kernelStream = nullptr;
  // Decoupled decode, one image at a time: CPU Huffman (hybrid) and GPU Huffman (gpu-hybrid) decoders
  // sharing one pair of pinned/device buffers.
  nvjpegJpegDecoder_t hybridDecoder = nullptr, gpuDecoder = nullptr;
  nvjpegJpegState_t hybridState = nullptr, gpuState = nullptr;
  nvjpegBufferPinned_t pinned = nullptr;
  nvjpegBufferDevice_t deviceBuffer = nullptr;
  nvjpegJpegStream_t jpegStream = nullptr;
  nvjpegDecodeParams_t params = nullptr;
  // Batched decode on the hardware decoder (A100/H100/H200 NVJPG engines).
  nvjpegJpegState_t hardwareState = nullptr;
  nvjpegJpegStream_t hardwareStream = nullptr;
  int hardwareBatch = 0;  // batch size the state is initialised for (0 = needs initialising)
  nvjpegOutputFormat_t hardwareFormat = NVJPEG_OUTPUT_RGBI;
  StagingBuffer staging;
  SlotScratch kernelScratch{4u << 20};  // our GPU Huffman decoder's input, state, coefficients and planes
  cudaEvent_t kernelDone = nullptr;  // `stream` waits on kernelStream through it (a decode left running)
};

struct EncodeSlot {
  cudaStream_t stream = nullptr;
  nvjpegEncoderState_t state = nullptr;
  nvjpegEncoderParams_t params = nullptr;
  StagingBuffer staging;
  // Our encoder's descriptors and the bytes its kernels publish (kernel-encode.cc): apart from `staging`, whose
  // pixels may still be on their way to the device when an encode starts.
  StagingBuffer kernelStaging;
  // Our encoder's device block (up to 64 MiB kept from call to call: a new one per call would cudaMalloc and
  // cudaFree whenever the pool's cache is full).
  SlotScratch kernelScratch{64u << 20};
  // Encoder states for the 2nd, 3rd … image of a batched encode (Engine::EncoderState makes them on first use).
  std::vector<nvjpegEncoderState_t> more;
  // What `params` holds (encode-device.cc sets only what changes): quality, Huffman optimisation, progressive,
  // sampling; quality −1 before the first encode.
  int quality = -1;
  bool optimize = false, progressive = false;
  int sampling = -1;
};

class Engine;

// A slot borrowed from the engine for one call; returned when the lease goes out of scope.
template <typename Slot>
class Lease {
 public:
  Lease() = default;
  Lease(Engine* engine, Slot* slot) : engine_(engine), slot_(slot) {}
  Lease(Lease&& other) noexcept : engine_(other.engine_), slot_(other.slot_) { other.slot_ = nullptr; }
  Lease& operator=(Lease&& other) noexcept {
    if (this != &other) {
      Reset();
      engine_ = other.engine_;
      slot_ = other.slot_;
      other.slot_ = nullptr;
    }
    return *this;
  }
  Lease(const Lease&) = delete;
  ~Lease() { Reset(); }
  void Reset();
  Slot* operator->() const { return slot_; }
  Slot& operator*() const { return *slot_; }

 private:
  Engine* engine_ = nullptr;
  Slot* slot_ = nullptr;
};

class Engine {
 public:
  // Creates the nvJPEG handles on `options.device` (nvJPEG must be loaded: LoadNvjpeg). `facts` gets whether
  // the hardware decoder is there.
  static Failure Create(const EngineOptions& options, std::shared_ptr<Engine>* out, DeviceInfo* facts);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Waits for every call in flight, then frees the slots, handles and cached device memory. Later calls fail.
  void Shutdown();

  Failure AcquireDecode(Lease<DecodeSlot>* lease);
  Failure AcquireEncode(Lease<EncodeSlot>* lease);
  // The slot's encoder state for image `index` of a batch (index 0: slot.state), made on first use.
  Failure EncoderState(EncodeSlot& slot, size_t index, nvjpegEncoderState_t* out);
  void Return(DecodeSlot* slot);
  void Return(EncodeSlot* slot);

  const NvjpegApi& api() const { return *api_; }
  nvjpegHandle_t handle() const { return handle_; }
  nvjpegHandle_t hardwareHandle() const { return hardware_; }
  const std::shared_ptr<DevicePool>& pool() const { return pool_; }
  // Op programs' tables kept on the device (ops-table-cache.h).
  DeviceTableCache* tables() { return &tables_; }
  const EngineOptions& options() const { return options_; }
  int device() const { return options_.device; }

 private:
  explicit Engine(const EngineOptions& options, const NvjpegApi* api);
  Failure NewDecodeSlot(std::unique_ptr<DecodeSlot>* out);
  Failure NewEncodeSlot(std::unique_ptr<EncodeSlot>* out);
  void DestroyDecodeSlot(DecodeSlot* slot);
  void DestroyEncodeSlot(EncodeSlot* slot);

  template <typename Slot>
  struct SlotSet {
    std::vector<std::unique_ptr<Slot>> all;
    std::vector<Slot*> idle;
  };
  template <typename Slot>
  Failure Acquire(SlotSet<Slot>* set, Lease<Slot>* lease,
                  const std::function<Failure(std::unique_ptr<Slot>*)>& make);

  EngineOptions options_;
  const NvjpegApi* api_;
  nvjpegHandle_t handle_ = nullptr;
  nvjpegHandle_t hardware_ = nullptr;
  std::shared_ptr<DevicePool> pool_;
  DeviceTableCache tables_;

  std::mutex mutex_;
  std::condition_variable returned_;
  SlotSet<DecodeSlot> decode_;
  SlotSet<EncodeSlot> encode_;
  int leased_ = 0;
  bool closed_ = false;
};

template <typename Slot>
void Lease<Slot>::Reset() {
  if (slot_ != nullptr) engine_->Return(slot_);
  slot_ = nullptr;
}

}  // namespace jpegkit
