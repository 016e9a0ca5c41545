// nvJPEG handles, decode/encode slots and their lifetimes (see engine.h).
#include "engine.h"

#include "worker.h"

namespace jpegkit {

Engine::Engine(const EngineOptions& options, const NvjpegApi* api)
    : options_(options),
      api_(api),
      pool_(std::make_shared<DevicePool>(options.device, options.poolKeepBytes)),
      tables_(options.device) {
  AddWorkerThreads(options_.streams);  // one per decode slot: every slot can be busy at once
}

Failure Engine::Create(const EngineOptions& options, std::shared_ptr<Engine>* out, DeviceInfo* facts) {
  const NvjpegApi* api = Nvjpeg();
  if (api == nullptr) return Fail("E_BACKEND_INIT", kNvjpegNotFound);
  JK_CUDA(cudaSetDevice(options.device));
  std::shared_ptr<Engine> engine(new Engine(options, api));
  JK_NVJPEG(api->CreateEx(NVJPEG_BACKEND_DEFAULT, nullptr, nullptr, JPEGKIT_NVJPEG_FLAGS_DEFAULT, &engine->handle_));
  // The hardware decoder exists on A100, H100, H200 (and a few others); elsewhere creating its handle fails,
  // which only means every image takes the hybrid paths.
  facts->hardwareDecoder = false;
  if (options.hardware &&
      api->CreateEx(NVJPEG_BACKEND_HARDWARE, nullptr, nullptr, JPEGKIT_NVJPEG_FLAGS_DEFAULT, &engine->hardware_) ==
          NVJPEG_STATUS_SUCCESS) {
    facts->hardwareDecoder = true;
    if (api->GetHardwareDecoderInfo != nullptr) {
      api->GetHardwareDecoderInfo(engine->hardware_, &facts->hardwareEngines, &facts->hardwareCoresPerEngine);
    }
  } else {
    engine->hardware_ = nullptr;
  }
  // Fail now, not on the first image, if the basic per-slot resources cannot be made.
  Lease<DecodeSlot> probe;
  JK_TRY(engine->AcquireDecode(&probe));
  *out = std::move(engine);
  return Ok();
}

Engine::~Engine() {
  Shutdown();
  ReleaseWorkerThreads(options_.streams);
}

void Engine::Shutdown() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (closed_ && decode_.all.empty() && encode_.all.empty() && handle_ == nullptr) return;
  closed_ = true;
  returned_.wait(lock, [this] { return leased_ == 0; });
  cudaSetDevice(options_.device);
  for (auto& slot : decode_.all) DestroyDecodeSlot(slot.get());
  for (auto& slot : encode_.all) DestroyEncodeSlot(slot.get());
  decode_.all.clear();
  decode_.idle.clear();
  encode_.all.clear();
  encode_.idle.clear();
  if (hardware_ != nullptr) api_->Destroy(hardware_);
  if (handle_ != nullptr) api_->Destroy(handle_);
  hardware_ = handle_ = nullptr;
  tables_.Clear();
  lock.unlock();
  pool_->Trim();  // images still held by JS keep their blocks; they are freed when released
}

template <typename Slot>
Failure Engine::Acquire(SlotSet<Slot>* set, Lease<Slot>* lease,
                        const std::function<Failure(std::unique_ptr<Slot>*)>& make) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (closed_) return Fail("E_BACKEND_INIT", "the cuda backend has been disposed");
    if (!set->idle.empty()) {
      Slot* slot = set->idle.back();
      set->idle.pop_back();
      ++leased_;
      lock.unlock();
      JK_CUDA(cudaSetDevice(options_.device));  // worker threads start on device 0
      *lease = Lease<Slot>(this, slot);
      return Ok();
    }
    if (static_cast<int>(set->all.size()) < options_.streams) {
      ++leased_;  // counts the slot being made, so Shutdown waits for it
      lock.unlock();
      std::unique_ptr<Slot> slot;
      Failure failure = make(&slot);
      lock.lock();
      if (!failure.ok()) {
        --leased_;
        returned_.notify_all();
        return failure;
      }
      Slot* raw = slot.get();
      set->all.push_back(std::move(slot));
      lock.unlock();
      *lease = Lease<Slot>(this, raw);
      return Ok();
    }
    returned_.wait(lock);  // every slot busy: wait for one (the worker thread blocks, not the event loop)
  }
}

Failure Engine::AcquireDecode(Lease<DecodeSlot>* lease) {
  return Acquire<DecodeSlot>(&decode_, lease, [this](std::unique_ptr<DecodeSlot>* out) { return NewDecodeSlot(out); });
}

Failure Engine::AcquireEncode(Lease<EncodeSlot>* lease) {
  return Acquire<EncodeSlot>(&encode_, lease, [this](std::unique_ptr<EncodeSlot>* out) { return NewEncodeSlot(out); });
}

void Engine::Return(DecodeSlot* slot) {
  std::lock_guard<std::mutex> lock(mutex_);
  decode_.idle.push_back(slot);
  --leased_;
  returned_.notify_all();
}

void Engine::Return(EncodeSlot* slot) {
  std::lock_guard<std::mutex> lock(mutex_);
  encode_.idle.push_back(slot);
  --leased_;
  returned_.notify_all();
}

Failure Engine::NewDecodeSlot(std::unique_ptr<DecodeSlot>* out) {
  JK_CUDA(cudaSetDevice(options_.device));
  auto slot = std::make_unique<DecodeSlot>();
  // Destroys whatever was made so far if a later step fails.
  struct Guard {
    Engine* engine;
    DecodeSlot* slot;
    ~Guard() {
      if (slot) engine->DestroyDecodeSlot(slot);
    }
  } guard{this, slot.get()};
  const NvjpegApi& a = *api_;
  JK_CUDA(cudaStreamCreateWithFlags(&slot->stream, cudaStreamNonBlocking));
  int lowest = 0, highest = 0;
  JK_CUDA(cudaDeviceGetStreamPriorityRange(&lowest, &highest));
  JK_CUDA(cudaStreamCreateWithPriority(&slot->kernelStream, cudaStreamNonBlocking, lowest));
  JK_NVJPEG(a.DecoderCreate(handle_, NVJPEG_BACKEND_HYBRID, &slot->hybridDecoder));
  JK_NVJPEG(a.DecoderStateCreate(handle_, slot->hybridDecoder, &slot->hybridState));
  JK_NVJPEG(a.DecoderCreate(handle_, NVJPEG_BACKEND_GPU_HYBRID, &slot->gpuDecoder));
  JK_NVJPEG(a.DecoderStateCreate(handle_, slot->gpuDecoder, &slot->gpuState));
  JK_NVJPEG(a.BufferPinnedCreate(handle_, nullptr, &slot->pinned));
  JK_NVJPEG(a.BufferDeviceCreate(handle_, nullptr, &slot->deviceBuffer));
  JK_NVJPEG(a.StateAttachPinnedBuffer(slot->hybridState, slot->pinned));
  JK_NVJPEG(a.StateAttachDeviceBuffer(slot->hybridState, slot->deviceBuffer));
  JK_NVJPEG(a.StateAttachPinnedBuffer(slot->gpuState, slot->pinned));
  JK_NVJPEG(a.StateAttachDeviceBuffer(slot->gpuState, slot->deviceBuffer));
  JK_NVJPEG(a.JpegStreamCreate(handle_, &slot->jpegStream));
  JK_NVJPEG(a.DecodeParamsCreate(handle_, &slot->params));
  if (hardware_ != nullptr) {
    JK_NVJPEG(a.JpegStateCreate(hardware_, &slot->hardwareState));
    JK_NVJPEG(a.JpegStreamCreate(hardware_, &slot->hardwareStream));
  }
  guard.slot = nullptr;
  *out = std::move(slot);
  return Ok();
}

void Engine::DestroyDecodeSlot(DecodeSlot* slot) {
  const NvjpegApi& a = *api_;
  if (slot->stream) cudaStreamSynchronize(slot->stream);
  if (slot->kernelDone) cudaEventDestroy(slot->kernelDone);
  if (slot->hardwareStream) a.JpegStreamDestroy(slot->hardwareStream);
  if (slot->hardwareState) a.JpegStateDestroy(slot->hardwareState);
  if (slot->params) a.DecodeParamsDestroy(slot->params);
  if (slot->jpegStream) a.JpegStreamDestroy(slot->jpegStream);
  if (slot->gpuState) a.JpegStateDestroy(slot->gpuState);
  if (slot->hybridState) a.JpegStateDestroy(slot->hybridState);
  if (slot->deviceBuffer) a.BufferDeviceDestroy(slot->deviceBuffer);
  if (slot->pinned) a.BufferPinnedDestroy(slot->pinned);
  if (slot->gpuDecoder) a.DecoderDestroy(slot->gpuDecoder);
  if (slot->hybridDecoder) a.DecoderDestroy(slot->hybridDecoder);
  if (slot->kernelStream) cudaStreamSynchronize(slot->kernelStream);
  if (slot->kernelStream) cudaStreamDestroy(slot->kernelStream);
  slot->kernelStream = nullptr;
  if (slot->stream) cudaStreamDestroy(slot->stream);
  slot->stream = nullptr;
}

Failure Engine::NewEncodeSlot(std::unique_ptr<EncodeSlot>* out) {
  JK_CUDA(cudaSetDevice(options_.device));
  auto slot = std::make_unique<EncodeSlot>();
  struct Guard {
    Engine* engine;
    EncodeSlot* slot;
    ~Guard() {
      if (slot) engine->DestroyEncodeSlot(slot);
    }
  } guard{this, slot.get()};
  JK_CUDA(cudaStreamCreateWithFlags(&slot->stream, cudaStreamNonBlocking));
  JK_NVJPEG(api_->EncoderStateCreate(handle_, &slot->state, slot->stream));
  JK_NVJPEG(api_->EncoderParamsCreate(handle_, &slot->params, slot->stream));
  guard.slot = nullptr;
  *out = std::move(slot);
  return Ok();
}

Failure Engine::EncoderState(EncodeSlot& slot, size_t index, nvjpegEncoderState_t* out) {
  if (index == 0) {
    *out = slot.state;
    return Ok();
  }
  while (slot.more.size() < index) {
    nvjpegEncoderState_t state = nullptr;
    JK_NVJPEG(api_->EncoderStateCreate(handle_, &state, slot.stream));
    slot.more.push_back(state);
  }
  *out = slot.more[index - 1];
  return Ok();
}

void Engine::DestroyEncodeSlot(EncodeSlot* slot) {
  if (slot->stream) cudaStreamSynchronize(slot->stream);
  for (nvjpegEncoderState_t state : slot->more) api_->EncoderStateDestroy(state);
  slot->more.clear();
  if (slot->params) api_->EncoderParamsDestroy(slot->params);
  if (slot->state) api_->EncoderStateDestroy(slot->state);
  if (slot->stream) cudaStreamDestroy(slot->stream);
  slot->params = nullptr;
  slot->state = nullptr;
  slot->stream = nullptr;
}

}  // namespace jpegkit
