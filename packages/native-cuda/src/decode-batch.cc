// See decode-batch.h.
#include "decode-batch.h"

#include <cuda_runtime_api.h>

#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "kernel-decode.h"
#include "kernels/huffman.h"
#include "kernels/kernels.h"

namespace jpegkit {

bool ParseDecodeItem(Napi::Env env, const Napi::Value& bytes, const Napi::Value& specValue, DecodeItem* item) {
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

bool ReadDecodeRoute(const Napi::Value& options, DecodeRoute* route) {
  *route = DecodeRoute::kAuto;
  if (!options.IsObject()) return true;
  std::string name = "auto";
  Napi::Object object = options.As<Napi::Object>();
  if (object.Has("route") && !ReadString(object, "route", &name)) return false;
  if (name == "auto") *route = DecodeRoute::kAuto;
  else if (name == "hybrid") *route = DecodeRoute::kHybrid;
  else if (name == "kernels") *route = DecodeRoute::kKernels;
  else if (name == "kernels-only") *route = DecodeRoute::kKernelsOnly;
  else return Throw(options.Env(), "Expected 'auto', 'hybrid', 'kernels' or 'kernels-only' for route");
  return true;
}

namespace {

class BatchDecoder {
 public:
  BatchDecoder(Engine* engine, DecodeSlot& slot, std::vector<DecodeItem>& items, DecodeRoute route,
               PendingKernelDecode* pending)
      : engine_(engine),
        slot_(slot),
        items_(items),
        route_(route),
        pending_(pending),
        allowHardware_(route == DecodeRoute::kAuto || route == DecodeRoute::kKernels) {}

  void Run() {

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

    std::vector<DecodeItem*> nvjpeg;
    for (DecodeItem& item : items_) {
      item.failure = Prepare(&item, indirect);
      if (item.failure.ok()) nvjpeg.push_back(&item);
    }
    if (route_ == DecodeRoute::kKernels || route_ == DecodeRoute::kKernelsOnly) {
      std::vector<DecodeItem*> rest;
      std::vector<std::string> reasons;
      // Left running only when every result stays on the device (nothing to copy out after the wait).
      bool deviceOnly = true;
      for (const DecodeItem& item : items_) deviceOnly = deviceOnly && item.toDevice;
      DecodeWithKernels(engine_, slot_, nvjpeg, &rest, &reasons, deviceOnly ? pending_ : nullptr);
      if (pending_ != nullptr && pending_->active) return;  // every item is ours, still running
      if (route_ == DecodeRoute::kKernelsOnly) {
        for (size_t i = 0; i < rest.size(); ++i) {
          rest[i]->failure = Fail("E_UNSUPPORTED", "not decoded by jpegkit's GPU Huffman decoder: " + reasons[i]);
        }
        rest.clear();
      }
      nvjpeg = std::move(rest);
    }
    std::vector<DecodeItem*> hardware, decoupled;
    for (DecodeItem* pointer : nvjpeg) {
      DecodeItem& item = *pointer;
      if (allowHardware_ && engine_->hardwareHandle() != nullptr && HardwareTakes(slot_, item)) {
        hardware.push_back(&item);
      } else {
        decoupled.push_back(&item);
      }
    }
    if (!hardware.empty()) {
      if (DecodeHardware(slot_, hardware, nvFormat).ok()) {
        for (DecodeItem* item : hardware) item->route = "hardware";
      } else {
        decoupled.insert(decoupled.end(), hardware.begin(), hardware.end());  // find the bad one(s)
      }
    }
    for (DecodeItem* item : decoupled) item->failure = DecodeDecoupled(slot_, item, nvFormat);
    for (DecodeItem& item : items_) {
      // The kernels route wrote the result in its format and orientation already.
      const bool remap = indirect && std::strcmp(item.route, "kernels") != 0;
      if (item.failure.ok()) item.failure = Finish(slot_, &item, remap);
    }
    const cudaError_t error = cudaStreamSynchronize(slot_.stream);
    for (DecodeItem& item : items_) {
      if (error != cudaSuccess && item.failure.ok()) item.failure = FromCuda(error, "cudaStreamSynchronize");
      item.scratch.reset();
      if (!item.failure.ok()) item.result.reset();
    }
  }

 private:
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

  Engine* engine_;
  DecodeSlot& slot_;
  std::vector<DecodeItem>& items_;
  const DecodeRoute route_;
  PendingKernelDecode* pending_;
  const bool allowHardware_;
};

}  // namespace

void DecodeItems(Engine* engine, DecodeSlot& slot, std::vector<DecodeItem>& items, DecodeRoute route,
                 PendingKernelDecode* pending) {
  BatchDecoder(engine, slot, items, route, pending).Run();
}

std::vector<DecodeItem*> PendingKernelDecode::Finish() {
  std::vector<DecodeItem*> again;
  if (active) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (status[i] == 0) continue;
      // Data the unstuffing kernels found a marker in is unstuffed on the host the next time.
      if ((status[i] & kUnclean) != 0) items[i]->hostUnstuff = true;
      again.push_back(items[i]);
    }
  }
  items.clear();
  blocks.clear();
  status = nullptr;
  active = false;
  return again;
}

}  // namespace jpegkit
