// See encode-device.h.
#include "encode-device.h"

#include <cuda_runtime_api.h>

#include <cstring>
#include <utility>

#include "args.h"
#include "kernel-encode.h"
#include "kernels/kernels.h"

namespace jpegkit {

namespace {

bool ParseSubsampling(const std::string& name, nvjpegChromaSubsampling_t* out) {
  static const struct {
    const char* name;
    nvjpegChromaSubsampling_t css;
  } kNames[] = {{"4:4:4", NVJPEG_CSS_444}, {"4:2:2", NVJPEG_CSS_422}, {"4:2:0", NVJPEG_CSS_420},
                {"4:4:0", NVJPEG_CSS_440}, {"4:1:1", NVJPEG_CSS_411}, {"gray", NVJPEG_CSS_GRAY}};
  for (const auto& entry : kNames) {
    if (name == entry.name) {
      *out = entry.css;
      return true;
    }
  }
  return false;
}

}  // namespace

bool ReadEncodeSettings(Napi::Env env, const Napi::Object& options, EncodeSettings* settings) {
  int64_t quality = 90;
  std::string subsampling = "4:2:0";
  if (!ReadOptionalInt(options, "quality", 1, 100, &quality) ||
      (options.Has("subsampling") && !ReadString(options, "subsampling", &subsampling)) ||
      !ReadOptionalBool(options, "optimize", &settings->optimize) ||
      !ReadOptionalBool(options, "progressive", &settings->progressive)) {
    return false;
  }
  if (!ParseSubsampling(subsampling, &settings->subsampling)) return Throw(env, "Unknown subsampling " + subsampling);
  std::string encoder = "kernels";
  if (options.Has("encoder") && !ReadString(options, "encoder", &encoder)) return false;
  if (encoder != "kernels" && encoder != "nvjpeg") return Throw(env, "Expected 'kernels' or 'nvjpeg' for encoder");
  settings->nvjpeg = encoder == "nvjpeg";
  settings->quality = static_cast<int>(quality);
  return true;
}

Failure ApplyEncodeSettings(Engine* engine, EncodeSlot& slot, const EncodeSettings& settings, cudaStream_t stream) {
  const NvjpegApi& api = engine->api();
  if (settings.progressive && api.EncoderParamsSetEncoding == nullptr) {
    return Fail("E_UNSUPPORTED", "this nvJPEG cannot write progressive JPEGs (no nvjpegEncoderParamsSetEncoding)");
  }
  if (slot.quality == settings.quality && slot.optimize == settings.optimize &&
      slot.progressive == settings.progressive) {
    return Ok();  // the parameters hold these already
  }
  slot.quality = -1;  // unknown until every call below has succeeded
  JK_NVJPEG(api.EncoderParamsSetQuality(slot.params, settings.quality, stream));
  JK_NVJPEG(api.EncoderParamsSetOptimizedHuffman(slot.params, settings.optimize || settings.progressive ? 1 : 0, stream));
  if (api.EncoderParamsSetEncoding != nullptr) {
    JK_NVJPEG(api.EncoderParamsSetEncoding(
        slot.params, settings.progressive ? NVJPEG_ENCODING_PROGRESSIVE_DCT_HUFFMAN : NVJPEG_ENCODING_BASELINE_DCT,
        stream));
  }
  slot.quality = settings.quality;
  slot.optimize = settings.optimize;
  slot.progressive = settings.progressive;
  return Ok();
}

namespace {

Failure SetSampling(const NvjpegApi& api, EncodeSlot& slot, nvjpegChromaSubsampling_t sampling, cudaStream_t stream) {
  if (slot.sampling == static_cast<int>(sampling)) return Ok();
  slot.sampling = -1;
  JK_NVJPEG(api.EncoderParamsSetSamplingFactors(slot.params, sampling, stream));
  slot.sampling = static_cast<int>(sampling);
  return Ok();
}

}  // namespace

Failure EnqueueEncode(Engine* engine, EncodeSlot& slot, nvjpegEncoderState_t state, cudaStream_t stream,
                      const EncodeSource& in, const EncodeSettings& settings,
                      std::shared_ptr<DeviceAllocation>* scratch) {
  const NvjpegApi& api = engine->api();
  nvjpegHandle_t handle = engine->handle();
  const PixelFormat format = in.format;
  uint8_t* source = in.data;
  const size_t pitch = in.pitch;
  const int width = in.width, height = in.height;
  // Gray from a Y plane, colour from (interleaved or planar) RGB/BGR.
  const bool gray = format == PixelFormat::kGray || settings.subsampling == NVJPEG_CSS_GRAY;
  if (gray) {
    nvjpegImage_t plane{};
    if (format == PixelFormat::kGray) {
      plane.channel[0] = source;
      plane.pitch[0] = pitch;
    } else {
      const size_t lumaPitch = DevicePitch(width);
      JK_TRY(engine->pool()->Acquire(lumaPitch * height, scratch));
      const ChannelLayout layout = RgbLayoutOf(format, source, pitch, height);
      JK_CUDA(LaunchLuma(layout, width, height, (*scratch)->data(), static_cast<int64_t>(lumaPitch), stream));
      plane.channel[0] = (*scratch)->data();
      plane.pitch[0] = lumaPitch;
    }
    JK_TRY(SetSampling(api, slot, NVJPEG_CSS_GRAY, stream));
    JK_NVJPEG(api.EncodeYUV(handle, state, slot.params, &plane, NVJPEG_CSS_GRAY, width, height, stream));
    return Ok();
  }
  nvjpegInputFormat_t input = NVJPEG_INPUT_RGBI;
  nvjpegImage_t image{};
  switch (format) {
    case PixelFormat::kRgb:
    case PixelFormat::kBgr:
      input = format == PixelFormat::kRgb ? NVJPEG_INPUT_RGBI : NVJPEG_INPUT_BGRI;
      image.channel[0] = source;
      image.pitch[0] = pitch;
      break;
    case PixelFormat::kRgbPlanar:
    case PixelFormat::kBgrPlanar:
      input = format == PixelFormat::kRgbPlanar ? NVJPEG_INPUT_RGB : NVJPEG_INPUT_BGR;
      image = NvjpegImageFor(format, source, pitch, height);
      break;
    default: {  // rgba / bgra: drop alpha into an interleaved 3-channel copy
      const PixelFormat three = format == PixelFormat::kRgba ? PixelFormat::kRgb : PixelFormat::kBgr;
      const size_t threePitch = DevicePitch(static_cast<size_t>(width) * 3);
      JK_TRY(engine->pool()->Acquire(threePitch * height, scratch));
      const int identity[4] = {0, 1, 2, -1};
      JK_CUDA(LaunchRemap(LayoutOf(format, source, pitch, height), width, height,
                          LayoutOf(three, (*scratch)->data(), threePitch, height), identity, 1, stream));
      input = three == PixelFormat::kRgb ? NVJPEG_INPUT_RGBI : NVJPEG_INPUT_BGRI;
      image.channel[0] = (*scratch)->data();
      image.pitch[0] = threePitch;
    }
  }
  JK_TRY(SetSampling(api, slot, settings.subsampling, stream));
  JK_NVJPEG(api.EncodeImage(handle, state, slot.params, &image, input, width, height, stream));
  return Ok();
}

Failure RetrieveEncoded(Engine* engine, EncodeSlot& slot, nvjpegEncoderState_t state, cudaStream_t stream,
                        std::vector<uint8_t>* output) {
  const NvjpegApi& api = engine->api();
  nvjpegHandle_t handle = engine->handle();
  // The bitstream: its length first, then the bytes, through the slot's pinned staging (a copy into pageable
  // memory would be staged by the driver, and slower).
  size_t length = 0;
  JK_NVJPEG(api.EncodeRetrieveBitstream(handle, state, nullptr, &length, stream));
  JK_CUDA(cudaStreamSynchronize(stream));
  JK_TRY(slot.staging.Reserve(length));
  JK_NVJPEG(api.EncodeRetrieveBitstream(handle, state, slot.staging.data(), &length, stream));
  JK_CUDA(cudaStreamSynchronize(stream));
  output->assign(slot.staging.data(), slot.staging.data() + length);
  return Ok();
}

Failure EncodeDevicePixels(Engine* engine, EncodeSlot& slot, cudaStream_t stream, const EncodeSource& source,
                           const EncodeSettings& settings, std::shared_ptr<DeviceAllocation>* scratch,
                           std::vector<uint8_t>* output) {
  if (KernelsEncode(settings)) {
    std::vector<std::vector<uint8_t>> outputs;
    std::vector<Failure> failures(1, Ok());
    EncodeBatchWithKernels(engine, slot, stream, {source}, settings, &outputs, &failures);
    if (failures[0].ok()) *output = std::move(outputs[0]);
    return failures[0];
  }
  JK_TRY(ApplyEncodeSettings(engine, slot, settings, stream));
  JK_TRY(EnqueueEncode(engine, slot, slot.state, stream, source, settings, scratch));
  return RetrieveEncoded(engine, slot, slot.state, stream, output);
}

void EncodeDeviceBatch(Engine* engine, EncodeSlot& slot, cudaStream_t stream, const std::vector<EncodeSource>& sources,
                       const EncodeSettings& settings, std::vector<std::shared_ptr<DeviceAllocation>>* scratch,
                       std::vector<std::vector<uint8_t>>* outputs, std::vector<Failure>* failures) {
  const size_t n = sources.size();
  scratch->resize(n);
  outputs->resize(n);
  failures->resize(n, Ok());
  if (KernelsEncode(settings)) return EncodeBatchWithKernels(engine, slot, stream, sources, settings, outputs, failures);
  std::vector<nvjpegEncoderState_t> states(n, nullptr);
  const Failure applied = ApplyEncodeSettings(engine, slot, settings, stream);
  size_t used = 0;  // encoder states handed out (images failed beforehand take none)
  for (size_t i = 0; i < n; ++i) {
    Failure& failure = (*failures)[i];
    if (!failure.ok()) continue;
    failure = applied;
    if (failure.ok()) failure = engine->EncoderState(slot, used++, &states[i]);
    if (failure.ok()) failure = EnqueueEncode(engine, slot, states[i], stream, sources[i], settings, &(*scratch)[i]);
  }
  // One wait for every image's encode; the retrievals then find their bitstreams ready.
  const cudaError_t synced = cudaStreamSynchronize(stream);
  for (size_t i = 0; i < n; ++i) {
    Failure& failure = (*failures)[i];
    if (failure.ok() && synced != cudaSuccess) failure = FromCuda(synced, "cudaStreamSynchronize");
    if (failure.ok()) failure = RetrieveEncoded(engine, slot, states[i], stream, &(*outputs)[i]);
  }
}

Napi::Uint8Array BytesToJs(Napi::Env env, const std::vector<uint8_t>& bytes) {
  Napi::Uint8Array array = Napi::Uint8Array::New(env, bytes.size());
  if (!bytes.empty()) std::memcpy(array.Data(), bytes.data(), bytes.size());
  return array;
}

Napi::Value BytesOrError(Napi::Env env, const Failure& failure, const std::vector<uint8_t>& bytes) {
  if (!failure.ok()) return ToJsError(env, failure).Value();
  return BytesToJs(env, bytes);
}

}  // namespace jpegkit
