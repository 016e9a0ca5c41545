// Encoding with nvJPEG. Host pixels go up through the slot's pinned staging into a pooled device block;
// device images are encoded where they are. rgba/bgra lose alpha in a remap kernel (nvJPEG takes 3
// channels); gray JPEGs are encoded from a Y plane (the image itself, or libjpeg's luma of a colour image).
#include "encode.h"

#include <cuda_runtime_api.h>

#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "device-image.h"
#include "image-input.h"
#include "engine.h"
#include "kernels/kernels.h"
#include "pixel-format.h"
#include "worker.h"

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

struct EncodeJob {
  // Source: host pixels (data/stride) or a device image.
  Napi::Reference<Napi::Uint8Array> dataRef;
  const uint8_t* data = nullptr;
  size_t stride = 0;
  DeviceImageData device;  // memory set for device input
  int width = 0, height = 0;
  PixelFormat format = PixelFormat::kRgb;
  // Options.
  int quality = 90;
  nvjpegChromaSubsampling_t subsampling = NVJPEG_CSS_420;
  bool optimize = false, progressive = false;
};

class EncodeWorker : public PromiseWorker {
 public:
  EncodeWorker(Napi::Env env, std::shared_ptr<Engine> engine, EncodeJob job)
      : PromiseWorker(env, "jpegkit:cuda:encode"), engine_(std::move(engine)), job_(std::move(job)) {}

 private:
  void Run() override {
    failure_ = Encode();
    job_.device.memory.reset();
    upload_.reset();
    scratch_.reset();
  }

  Failure Encode() {
    Lease<EncodeSlot> slot;
    JK_TRY(engine_->AcquireEncode(&slot));
    const NvjpegApi& api = engine_->api();
    nvjpegHandle_t handle = engine_->handle();
    cudaStream_t stream = slot->stream;
    const size_t rowBytes = static_cast<size_t>(job_.width) * BytesPerPixel(job_.format);
    const size_t rows = RowsOf(job_.format, job_.height);

    // 1. The pixels on the device.
    uint8_t* source = nullptr;
    size_t pitch = 0;
    if (job_.device.memory) {
      source = job_.device.memory->data();
      pitch = job_.device.pitch;
    } else {
      pitch = DevicePitch(rowBytes);
      JK_TRY(engine_->pool()->Acquire(pitch * rows, &upload_));
      JK_TRY(slot->staging.Reserve(job_.stride * (rows - 1) + rowBytes));
      CopyRows(slot->staging.data(), job_.stride, job_.data, job_.stride, rowBytes, rows);
      JK_CUDA(cudaMemcpy2DAsync(upload_->data(), pitch, slot->staging.data(), job_.stride, rowBytes, rows,
                                cudaMemcpyHostToDevice, stream));
      source = upload_->data();
    }

    // 2. Parameters.
    JK_NVJPEG(api.EncoderParamsSetQuality(slot->params, job_.quality, stream));
    JK_NVJPEG(api.EncoderParamsSetOptimizedHuffman(slot->params, job_.optimize || job_.progressive ? 1 : 0, stream));
    if (api.EncoderParamsSetEncoding != nullptr) {
      JK_NVJPEG(api.EncoderParamsSetEncoding(
          slot->params, job_.progressive ? NVJPEG_ENCODING_PROGRESSIVE_DCT_HUFFMAN : NVJPEG_ENCODING_BASELINE_DCT,
          stream));
    } else if (job_.progressive) {
      return Fail("E_UNSUPPORTED", "this nvJPEG cannot write progressive JPEGs (no nvjpegEncoderParamsSetEncoding)");
    }

    // 3. Encode: gray from a Y plane, colour from (interleaved or planar) RGB/BGR.
    const bool gray = job_.format == PixelFormat::kGray || job_.subsampling == NVJPEG_CSS_GRAY;
    if (gray) {
      nvjpegImage_t plane{};
      if (job_.format == PixelFormat::kGray) {
        plane.channel[0] = source;
        plane.pitch[0] = pitch;
      } else {
        const size_t lumaPitch = DevicePitch(job_.width);
        JK_TRY(engine_->pool()->Acquire(lumaPitch * job_.height, &scratch_));
        ChannelLayout layout = LayoutOf(job_.format, source, pitch, job_.height);
        if (job_.format == PixelFormat::kBgr || job_.format == PixelFormat::kBgra ||
            job_.format == PixelFormat::kBgrPlanar) {
          std::swap(layout.offset[0], layout.offset[2]);  // the kernel reads R, G, B
        }
        JK_CUDA(LaunchLuma(layout, job_.width, job_.height, scratch_->data(), static_cast<int64_t>(lumaPitch), stream));
        plane.channel[0] = scratch_->data();
        plane.pitch[0] = lumaPitch;
      }
      JK_NVJPEG(api.EncoderParamsSetSamplingFactors(slot->params, NVJPEG_CSS_GRAY, stream));
      JK_NVJPEG(api.EncodeYUV(handle, slot->state, slot->params, &plane, NVJPEG_CSS_GRAY, job_.width, job_.height,
                              stream));
    } else {
      nvjpegInputFormat_t input = NVJPEG_INPUT_RGBI;
      nvjpegImage_t image{};
      switch (job_.format) {
        case PixelFormat::kRgb:
        case PixelFormat::kBgr:
          input = job_.format == PixelFormat::kRgb ? NVJPEG_INPUT_RGBI : NVJPEG_INPUT_BGRI;
          image.channel[0] = source;
          image.pitch[0] = pitch;
          break;
        case PixelFormat::kRgbPlanar:
        case PixelFormat::kBgrPlanar:
          input = job_.format == PixelFormat::kRgbPlanar ? NVJPEG_INPUT_RGB : NVJPEG_INPUT_BGR;
          image = NvjpegImageFor(job_.format, source, pitch, job_.height);
          break;
        default: {  // rgba / bgra: drop alpha into an interleaved 3-channel copy
          const PixelFormat three = job_.format == PixelFormat::kRgba ? PixelFormat::kRgb : PixelFormat::kBgr;
          const size_t threePitch = DevicePitch(static_cast<size_t>(job_.width) * 3);
          JK_TRY(engine_->pool()->Acquire(threePitch * job_.height, &scratch_));
          const int identity[4] = {0, 1, 2, -1};
          JK_CUDA(LaunchRemap(LayoutOf(job_.format, source, pitch, job_.height), job_.width, job_.height,
                              LayoutOf(three, scratch_->data(), threePitch, job_.height), identity, 1, stream));
          input = three == PixelFormat::kRgb ? NVJPEG_INPUT_RGBI : NVJPEG_INPUT_BGRI;
          image.channel[0] = scratch_->data();
          image.pitch[0] = threePitch;
        }
      }
      JK_NVJPEG(api.EncoderParamsSetSamplingFactors(slot->params, job_.subsampling, stream));
      JK_NVJPEG(api.EncodeImage(handle, slot->state, slot->params, &image, input, job_.width, job_.height, stream));
    }

    // 4. The bitstream: its length first, then the bytes.
    size_t length = 0;
    JK_NVJPEG(api.EncodeRetrieveBitstream(handle, slot->state, nullptr, &length, stream));
    JK_CUDA(cudaStreamSynchronize(stream));
    output_.resize(length);
    JK_NVJPEG(api.EncodeRetrieveBitstream(handle, slot->state, output_.data(), &length, stream));
    JK_CUDA(cudaStreamSynchronize(stream));
    output_.resize(length);
    return Ok();
  }

  Napi::Value Resolve(Napi::Env env) override {
    Napi::Uint8Array bytes = Napi::Uint8Array::New(env, output_.size());
    if (!output_.empty()) std::memcpy(bytes.Data(), output_.data(), output_.size());
    return bytes;
  }

  std::shared_ptr<Engine> engine_;
  EncodeJob job_;
  std::shared_ptr<DeviceAllocation> upload_, scratch_;
  std::vector<uint8_t> output_;
};

}  // namespace

Napi::Value StartEncode(const Napi::CallbackInfo& info, const std::shared_ptr<Engine>& engine) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject() || !info[1].IsObject()) {
    Throw(env, "encode(input: object, options: object)");
    return env.Undefined();
  }
  Napi::Object input = info[0].As<Napi::Object>(), options = info[1].As<Napi::Object>();
  EncodeJob job;
  if (!ReadImageInput(env, input, "encode", &job)) return env.Undefined();
  int64_t quality = 90;
  std::string subsampling = "4:2:0";
  if (!ReadOptionalInt(options, "quality", 1, 100, &quality) ||
      (options.Has("subsampling") && !ReadString(options, "subsampling", &subsampling)) ||
      !ReadOptionalBool(options, "optimize", &job.optimize) ||
      !ReadOptionalBool(options, "progressive", &job.progressive)) {
    return env.Undefined();
  }
  if (!ParseSubsampling(subsampling, &job.subsampling)) {
    Throw(env, "Unknown subsampling " + subsampling);
    return env.Undefined();
  }
  job.quality = static_cast<int>(quality);
  return (new EncodeWorker(env, engine, std::move(job)))->Start();
}

}  // namespace jpegkit
