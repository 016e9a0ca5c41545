// Decoding with nvJPEG. Each call borrows one decode slot (stream, states, staging) for its whole run:
//   1. every image is routed: the hardware decoder (batched API) when the GPU has one and nvJPEG says it takes
//      the stream (baseline, one scan, no 4:1:1…), else the decoupled API with CPU Huffman (hybrid; all
//      progressive images) or GPU Huffman (gpu-hybrid; large baseline images);
//   2. nvJPEG writes the output format directly when there is one (rgb → RGBI …), or planar RGB / Y into a
//      scratch block that one kernel turns into rgba/bgra and/or applies the EXIF orientation;
//   3. host results go device → pinned staging → the caller's buffer; device results stay as pooled blocks.
// A hardware batch that fails is decoded again image by image, so one bad file costs only its own result.
#include "decode.h"

#include <cuda_runtime_api.h>

#include <string>
#include <vector>

#include "args.h"
#include "device-image.h"
#include "engine.h"
#include "kernels/kernels.h"
#include "pixel-format.h"
#include "worker.h"

namespace jpegkit {

namespace {

struct DecodeItem {
  // From the call (read on the JS thread; the references keep the buffers alive until the promise settles).
  Napi::Reference<Napi::Uint8Array> bytesRef, outRef;
  const uint8_t* data = nullptr;
  size_t length = 0;
  PixelFormat format = PixelFormat::kRgb;
  int orientation = 1;  // the one to apply (1 = leave as stored)
  int width = 0, height = 0;  // stored size, from core's header
  bool progressive = false;
  bool hardwareCandidate = false;  // baseline, single scan, a subsampling the engines take (the TS side knows)
  bool toDevice = false;
  uint8_t* out = nullptr;
  size_t outStride = 0;

  // Filled on the worker thread.
  Failure failure;
  const char* route = "";
  int outWidth = 0, outHeight = 0;
  size_t pitch = 0, scratchPitch = 0;
  std::shared_ptr<DeviceAllocation> result, scratch;
  nvjpegImage_t target{};
};

bool ParseItem(Napi::Env env, const Napi::Value& bytes, const Napi::Value& specValue, DecodeItem* item) {
  if (!IsUint8Array(bytes)) return Throw(env, "Expected a Uint8Array for bytes");
  if (!specValue.IsObject()) return Throw(env, "Expected an object for spec");
  Napi::Uint8Array input = bytes.As<Napi::Uint8Array>();
  Napi::Object spec = specValue.As<Napi::Object>();
  std::string format, location;
  int64_t orientation = 1, width = 0, height = 0, stride = 0;
  if (!ReadString(spec, "format", &format) || !ReadInt(spec, "orientation", 1, 8, &orientation) ||
      !ReadInt(spec, "width", 1, 65535, &width) || !ReadInt(spec, "height", 1, 65535, &height) ||
      !ReadString(spec, "location", &location) || !ReadOptionalBool(spec, "progressive", &item->progressive) ||
      !ReadOptionalBool(spec, "hardwareCandidate", &item->hardwareCandidate)) {
    return false;
  }
  if (!ParsePixelFormat(format, &item->format)) return Throw(env, "Unknown pixel format " + format);
  if (location != "host" && location != "device") return Throw(env, "Expected 'host' or 'device' for location");
  item->bytesRef = Napi::Persistent(input);
  item->data = input.Data();
  item->length = input.ByteLength();
  item->orientation = static_cast<int>(orientation);
  item->width = static_cast<int>(width);
  item->height = static_cast<int>(height);
  item->toDevice = location == "device";
  const bool swap = orientation >= 5;
  item->outWidth = swap ? item->height : item->width;
  item->outHeight = swap ? item->width : item->height;
  if (!item->toDevice) {
    Napi::Value out = spec.Get("out");
    if (!IsUint8Array(out)) return Throw(env, "Expected a Uint8Array for out (host decodes)");
    if (!ReadInt(spec, "outStride", 1, int64_t{1} << 31, &stride)) return false;
    Napi::Uint8Array target = out.As<Napi::Uint8Array>();
    const size_t rowBytes = static_cast<size_t>(item->outWidth) * BytesPerPixel(item->format);
    const size_t rows = RowsOf(item->format, item->outHeight);
    if (static_cast<size_t>(stride) < rowBytes ||
        target.ByteLength() < static_cast<size_t>(stride) * (rows - 1) + rowBytes) {
      return Throw(env, "out is too small for the decoded image");
    }
    item->outRef = Napi::Persistent(target);
    item->out = target.Data();
    item->outStride = static_cast<size_t>(stride);
  }
  return true;
}

class DecodeWorker : public PromiseWorker {
 public:
  DecodeWorker(Napi::Env env, std::shared_ptr<Engine> engine, std::vector<DecodeItem> items, bool batch,
               bool allowHardware)
      : PromiseWorker(env, batch ? "jpegkit:cuda:decodeBatch" : "jpegkit:cuda:decode"),
        engine_(std::move(engine)),
        items_(std::move(items)),
        batch_(batch),
        allowHardware_(allowHardware) {}

 private:
  void Run() override {
    Lease<DecodeSlot> slot;
    failure_ = engine_->AcquireDecode(&slot);
    if (!failure_.ok()) return;

    // One nvJPEG output format serves the whole call (a hardware batch takes only one): indirect — planar RGB
    // or Y, then a kernel — when any image needs rgba/bgra or an orientation applied.
    nvjpegOutputFormat_t direct = NVJPEG_OUTPUT_RGBI;
    bool indirect = false;
    for (const DecodeItem& item : items_) {
      if (!DirectNvjpegOutput(item.format, &direct) || item.orientation != 1) indirect = true;
    }
    const PixelFormat format = items_.front().format;  // the TS side sends one format per call
    nvjpegOutputFormat_t nvFormat = direct;
    if (indirect) nvFormat = format == PixelFormat::kGray ? NVJPEG_OUTPUT_Y : NVJPEG_OUTPUT_RGB;
    else DirectNvjpegOutput(format, &nvFormat);

    std::vector<DecodeItem*> hardware, decoupled;
    for (DecodeItem& item : items_) {
      item.failure = Prepare(&item, indirect);
      if (!item.failure.ok()) continue;
      if (allowHardware_ && engine_->hardwareHandle() != nullptr && HardwareTakes(*slot, item)) {
        hardware.push_back(&item);
      } else {
        decoupled.push_back(&item);
      }
    }
    if (!hardware.empty()) {
      if (DecodeHardware(*slot, hardware, nvFormat).ok()) {
        for (DecodeItem* item : hardware) item->route = "hardware";
      } else {
        decoupled.insert(decoupled.end(), hardware.begin(), hardware.end());  // find the bad one(s)
      }
    }
    for (DecodeItem* item : decoupled) item->failure = DecodeDecoupled(*slot, item, nvFormat);
    for (DecodeItem& item : items_) {
      if (item.failure.ok()) item.failure = Finish(*slot, &item, indirect);
    }
    const cudaError_t error = cudaStreamSynchronize(slot->stream);
    for (DecodeItem& item : items_) {
      if (error != cudaSuccess && item.failure.ok()) item.failure = FromCuda(error, "cudaStreamSynchronize");
      item.scratch.reset();
      if (!item.failure.ok()) item.result.reset();
    }
    if (!batch_) failure_ = items_.front().failure;
  }

  Failure Prepare(DecodeItem* item, bool indirect) {
    DevicePool& pool = *engine_->pool();
    item->pitch = DevicePitch(static_cast<size_t>(item->outWidth) * BytesPerPixel(item->format));
    JK_TRY(pool.Acquire(item->pitch * RowsOf(item->format, item->outHeight), &item->result));
    if (indirect) {
      const int planes = item->format == PixelFormat::kGray ? 1 : 3;
      item->scratchPitch = DevicePitch(item->width);
      JK_TRY(pool.Acquire(item->scratchPitch * item->height * planes, &item->scratch));
      item->target = nvjpegImage_t{};
      for (int p = 0; p < planes; ++p) {
        item->target.channel[p] = item->scratch->data() + p * item->scratchPitch * item->height;
        item->target.pitch[p] = item->scratchPitch;
      }
    } else {
      item->target = NvjpegImageFor(item->format, item->result->data(), item->pitch, item->height);
    }
    return Ok();
  }

  // Parses the header with the hardware handle: checks the frame size against core's header (so nvJPEG
  // never writes past the output) and asks nvJPEG whether the engines take this stream.
  bool HardwareTakes(DecodeSlot& slot, const DecodeItem& item) {
    if (!item.hardwareCandidate) return false;
    const NvjpegApi& api = engine_->api();
    nvjpegHandle_t hw = engine_->hardwareHandle();
    const nvjpegStatus_t parsed =
        api.JpegStreamParseHeader != nullptr
            ? api.JpegStreamParseHeader(hw, item.data, item.length, slot.hardwareStream)
            : api.JpegStreamParse(hw, item.data, item.length, 0, 0, slot.hardwareStream);
    if (parsed != NVJPEG_STATUS_SUCCESS) return false;
    unsigned width = 0, height = 0;
    if (api.JpegStreamGetFrameDimensions(slot.hardwareStream, &width, &height) != NVJPEG_STATUS_SUCCESS ||
        width != static_cast<unsigned>(item.width) || height != static_cast<unsigned>(item.height)) {
      return false;
    }
    if (api.DecodeBatchedSupported == nullptr) return true;
    int unsupported = -1;  // 0 means supported
    return api.DecodeBatchedSupported(hw, slot.hardwareStream, &unsupported) == NVJPEG_STATUS_SUCCESS &&
           unsupported == 0;
  }

  Failure DecodeHardware(DecodeSlot& slot, const std::vector<DecodeItem*>& group, nvjpegOutputFormat_t nvFormat) {
    const NvjpegApi& api = engine_->api();
    nvjpegHandle_t hw = engine_->hardwareHandle();
    const int count = static_cast<int>(group.size());
    if (slot.hardwareBatch != count || slot.hardwareFormat != nvFormat) {
      slot.hardwareBatch = 0;
      JK_NVJPEG(api.DecodeBatchedInitialize(hw, slot.hardwareState, count, 1, nvFormat));
      slot.hardwareBatch = count;
      slot.hardwareFormat = nvFormat;
    }
    std::vector<const unsigned char*> data;
    std::vector<size_t> lengths;
    std::vector<nvjpegImage_t> targets;
    for (DecodeItem* item : group) {
      data.push_back(item->data);
      lengths.push_back(item->length);
      targets.push_back(item->target);
    }
    const nvjpegStatus_t status =
        api.DecodeBatched(hw, slot.hardwareState, data.data(), lengths.data(), targets.data(), slot.stream);
    if (status != NVJPEG_STATUS_SUCCESS) {
      slot.hardwareBatch = 0;  // a failed batch needs initialising again
      return FromNvjpeg(status, "nvjpegDecodeBatched");
    }
    return Ok();
  }

  Failure DecodeDecoupled(DecodeSlot& slot, DecodeItem* item, nvjpegOutputFormat_t nvFormat) {
    const NvjpegApi& api = engine_->api();
    nvjpegHandle_t handle = engine_->handle();
    JK_NVJPEG(api.JpegStreamParse(handle, item->data, item->length, 0, 0, slot.jpegStream));
    unsigned width = 0, height = 0;
    JK_NVJPEG(api.JpegStreamGetFrameDimensions(slot.jpegStream, &width, &height));
    if (width != static_cast<unsigned>(item->width) || height != static_cast<unsigned>(item->height)) {
      return Fail("E_CORRUPT", "nvJPEG reads a " + std::to_string(width) + "x" + std::to_string(height) +
                                   " frame where the header says " + std::to_string(item->width) + "x" +
                                   std::to_string(item->height));
    }
    JK_NVJPEG(api.DecodeParamsSetOutputFormat(slot.params, nvFormat));
    bool gpu = !item->progressive &&
               static_cast<size_t>(width) * height > engine_->options().gpuHuffmanPixels;
    nvjpegJpegDecoder_t decoder;
    nvjpegJpegState_t state;
    for (;;) {
      decoder = gpu ? slot.gpuDecoder : slot.hybridDecoder;
      state = gpu ? slot.gpuState : slot.hybridState;
      const nvjpegStatus_t status = api.DecodeJpegHost(handle, decoder, state, slot.params, slot.jpegStream);
      if (status == NVJPEG_STATUS_SUCCESS) break;
      if (gpu && (status == NVJPEG_STATUS_JPEG_NOT_SUPPORTED || status == NVJPEG_STATUS_IMPLEMENTATION_NOT_SUPPORTED)) {
        gpu = false;  // GPU Huffman refuses some streams the CPU path takes
        continue;
      }
      return FromNvjpeg(status, "nvjpegDecodeJpegHost");
    }
    JK_NVJPEG(api.DecodeJpegTransferToDevice(handle, decoder, state, slot.jpegStream, slot.stream));
    JK_NVJPEG(api.DecodeJpegDevice(handle, decoder, state, &item->target, slot.stream));
    item->route = gpu ? "gpu-hybrid" : "hybrid";
    return Ok();
  }

  Failure Finish(DecodeSlot& slot, DecodeItem* item, bool indirect) {
    if (indirect) {
      const int planes = item->format == PixelFormat::kGray ? 1 : 3;
      int source[4];
      SourceChannels(item->format, planes, source);
      JK_CUDA(LaunchRemap(PlanarLayout(planes, item->scratch->data(), item->scratchPitch, item->height), item->width,
                          item->height, LayoutOf(item->format, item->result->data(), item->pitch, item->outHeight),
                          source, item->orientation, slot.stream));
    }
    if (item->toDevice) return Ok();
    const size_t rowBytes = static_cast<size_t>(item->outWidth) * BytesPerPixel(item->format);
    const size_t rows = RowsOf(item->format, item->outHeight);
    JK_TRY(slot.staging.Reserve(item->outStride * (rows - 1) + rowBytes));
    JK_CUDA(cudaMemcpy2DAsync(slot.staging.data(), item->outStride, item->result->data(), item->pitch, rowBytes, rows,
                              cudaMemcpyDeviceToHost, slot.stream));
    JK_CUDA(cudaStreamSynchronize(slot.stream));
    CopyRows(item->out, item->outStride, slot.staging.data(), item->outStride, rowBytes, rows);
    item->result.reset();
    return Ok();
  }

  Napi::Value Outcome(Napi::Env env, DecodeItem& item) {
    Napi::Object outcome = Napi::Object::New(env);
    outcome.Set("width", item.outWidth);
    outcome.Set("height", item.outHeight);
    outcome.Set("route", item.route);
    if (item.toDevice) {
      DeviceImageData data{std::move(item.result), item.outWidth, item.outHeight, item.pitch, item.format};
      outcome.Set("image", CudaImageHandle::New(env, std::move(data)));
    }
    return outcome;
  }

  Napi::Value Resolve(Napi::Env env) override {
    if (!batch_) return Outcome(env, items_.front());
    Napi::Array results = Napi::Array::New(env, items_.size());
    for (size_t i = 0; i < items_.size(); ++i) {
      DecodeItem& item = items_[i];
      results.Set(i, item.failure.ok() ? Outcome(env, item) : ToJsError(env, item.failure).Value());
    }
    return results;
  }

  std::shared_ptr<Engine> engine_;
  std::vector<DecodeItem> items_;
  const bool batch_;
  const bool allowHardware_;
};

bool ReadAllowHardware(const Napi::Value& options, bool* allow) {
  *allow = true;
  if (!options.IsObject()) return true;
  std::string route = "auto";
  Napi::Object object = options.As<Napi::Object>();
  if (object.Has("route") && !ReadString(object, "route", &route)) return false;
  if (route != "auto" && route != "hybrid") return Throw(options.Env(), "Expected 'auto' or 'hybrid' for route");
  *allow = route == "auto";
  return true;
}

}  // namespace

Napi::Value StartDecode(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine) {
  Napi::Env env = info.Env();
  std::vector<DecodeItem> items(1);
  bool allowHardware = true;
  if (!ParseItem(env, info[0], info[1], &items[0]) || !ReadAllowHardware(info[2], &allowHardware)) {
    return env.Undefined();
  }
  return (new DecodeWorker(env, engine, std::move(items), false, allowHardware))->Start();
}

Napi::Value StartDecodeBatch(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray() || !info[1].IsArray()) {
    Throw(env, "decodeBatch(list: Uint8Array[], specs: object[], options?)");
    return env.Undefined();
  }
  Napi::Array list = info[0].As<Napi::Array>(), specs = info[1].As<Napi::Array>();
  if (list.Length() == 0 || list.Length() != specs.Length()) {
    Throw(env, "decodeBatch: list and specs must be non-empty and of one length");
    return env.Undefined();
  }
  std::vector<DecodeItem> items(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    if (!ParseItem(env, list.Get(i), specs.Get(i), &items[i])) return env.Undefined();
    if (items[i].format != items[0].format) {
      Throw(env, "decodeBatch: every spec must ask for one format");
      return env.Undefined();
    }
  }
  bool allowHardware = true;
  if (!ReadAllowHardware(info[2], &allowHardware)) return env.Undefined();
  return (new DecodeWorker(env, engine, std::move(items), true, allowHardware))->Start();
}

}  // namespace jpegkit
