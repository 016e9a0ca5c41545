// See encode-device.h.
#include "encode-device.h"

#include <cuda_runtime_api.h>

#include <utility>

#include "args.h"
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
  settings->quality = static_cast<int>(quality);
  return true;
}

Failure EncodeDevicePixels(Engine* engine, EncodeSlot& slot, cudaStream_t stream, uint8_t* source, size_t pitch,
                           int width, int height, PixelFormat format, const EncodeSettings& settings,
                           std::shared_ptr<DeviceAllocation>* scratch, std::vector<uint8_t>* output) {
  const NvjpegApi& api = engine->api();
  nvjpegHandle_t handle = engine->handle();
  // 2. Parameters.
  JK_NVJPEG(api.EncoderParamsSetQuality(slot.params, settings.quality, stream));
  JK_NVJPEG(api.EncoderParamsSetOptimizedHuffman(slot.params, settings.optimize || settings.progressive ? 1 : 0, stream));
  if (api.EncoderParamsSetEncoding != nullptr) {
    JK_NVJPEG(api.EncoderParamsSetEncoding(
        slot.params, settings.progressive ? NVJPEG_ENCODING_PROGRESSIVE_DCT_HUFFMAN : NVJPEG_ENCODING_BASELINE_DCT,
        stream));
  } else if (settings.progressive) {
    return Fail("E_UNSUPPORTED", "this nvJPEG cannot write progressive JPEGs (no nvjpegEncoderParamsSetEncoding)");
  }

  // 3. Encode: gray from a Y plane, colour from (interleaved or planar) RGB/BGR.
  const bool gray = format == PixelFormat::kGray || settings.subsampling == NVJPEG_CSS_GRAY;
  if (gray) {
    nvjpegImage_t plane{};
    if (format == PixelFormat::kGray) {
      plane.channel[0] = source;
      plane.pitch[0] = pitch;
    } else {
      const size_t lumaPitch = DevicePitch(width);
      JK_TRY(engine->pool()->Acquire(lumaPitch * height, scratch));
      ChannelLayout layout = LayoutOf(format, source, pitch, height);
      if (format == PixelFormat::kBgr || format == PixelFormat::kBgra ||
          format == PixelFormat::kBgrPlanar) {
        std::swap(layout.offset[0], layout.offset[2]);  // the kernel reads R, G, B
      }
      JK_CUDA(LaunchLuma(layout, width, height, (*scratch)->data(), static_cast<int64_t>(lumaPitch), stream));
      plane.channel[0] = (*scratch)->data();
      plane.pitch[0] = lumaPitch;
    }
    JK_NVJPEG(api.EncoderParamsSetSamplingFactors(slot.params, NVJPEG_CSS_GRAY, stream));
    JK_NVJPEG(api.EncodeYUV(handle, slot.state, slot.params, &plane, NVJPEG_CSS_GRAY, width, height,
                            stream));
  } else {
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
    JK_NVJPEG(api.EncoderParamsSetSamplingFactors(slot.params, settings.subsampling, stream));
    JK_NVJPEG(api.EncodeImage(handle, slot.state, slot.params, &image, input, width, height, stream));
  }

  // 4. The bitstream: its length first, then the bytes.
  size_t length = 0;
  JK_NVJPEG(api.EncodeRetrieveBitstream(handle, slot.state, nullptr, &length, stream));
  JK_CUDA(cudaStreamSynchronize(stream));
  output->resize(length);
  JK_NVJPEG(api.EncodeRetrieveBitstream(handle, slot.state, output->data(), &length, stream));
  JK_CUDA(cudaStreamSynchronize(stream));
  output->resize(length);
  return Ok();
}

}  // namespace jpegkit
