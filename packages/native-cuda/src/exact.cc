// addon.decodeExact(engine, frame, spec): the cuda backend's `exact` decode mode, bit-exact with djpeg -dct int.
// The TS side entropy-decodes on the CPU (@jpegkit/wasm's readCoefficients: libjpeg-turbo) and hands over one
// Int16Array of quantised coefficients per component with its quantisation table; here, on a worker thread
// with one of the engine's decode slots (stream + pinned staging):
//   1. coefficients and tables go host → pinned staging → one pooled device block;
//   2.–4. ExactPixelsPlan (exact-pixels.h): dequantisation + libjpeg's islow IDCT into MCU-padded component
//      planes, then fancy upsampling (jdsample.c) + YCbCr → RGB (jdcolor.c) written straight into the
//      requested layout (rgb, bgra, planar …) and EXIF orientation;
//   5. host results go device → pinned staging → the caller's buffer; device results stay as pooled blocks.
#include <cuda_runtime_api.h>

#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "device-image.h"
#include "engine-object.h"
#include "engine.h"
#include "exact-pixels.h"
#include "pixel-format.h"
#include "worker.h"

namespace jpegkit {

namespace {

constexpr size_t kAlign = 256;
inline size_t AlignUp(size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

struct ExactComponentInput {
  Napi::Reference<Napi::Int16Array> coefficientsRef;
  Napi::Reference<Napi::Uint16Array> quantRef;
  const int16_t* coefficients = nullptr;
  const uint16_t* quant = nullptr;
  int h = 1, v = 1, blocksPerRow = 0, blockRows = 0;
  size_t values = 0;
};

struct ExactRequest {
  int width = 0, height = 0, maxH = 1, maxV = 1;
  std::vector<ExactComponentInput> components;
  PixelFormat format = PixelFormat::kRgb;
  int orientation = 1;
  bool toDevice = false;
  Napi::Reference<Napi::Uint8Array> outRef;
  uint8_t* out = nullptr;
  size_t outStride = 0;
  int outWidth = 0, outHeight = 0;
};

bool ParseFrame(Napi::Env env, const Napi::Value& value, ExactRequest* request) {
  if (!value.IsObject()) return Throw(env, "Expected an object for frame");
  Napi::Object frame = value.As<Napi::Object>();
  int64_t width = 0, height = 0, maxH = 0, maxV = 0;
  if (!ReadInt(frame, "width", 1, 65535, &width) || !ReadInt(frame, "height", 1, 65535, &height) ||
      !ReadInt(frame, "maxH", 1, 4, &maxH) || !ReadInt(frame, "maxV", 1, 4, &maxV)) {
    return false;
  }
  request->width = static_cast<int>(width);
  request->height = static_cast<int>(height);
  request->maxH = static_cast<int>(maxH);
  request->maxV = static_cast<int>(maxV);
  Napi::Value list = frame.Get("components");
  if (!list.IsArray()) return Throw(env, "Expected an array for frame.components");
  Napi::Array array = list.As<Napi::Array>();
  if (array.Length() != 1 && array.Length() != 3) return Throw(env, "Expected 1 or 3 components");
  request->components.resize(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) return Throw(env, "Expected an object for each component");
    Napi::Object object = item.As<Napi::Object>();
    ExactComponentInput& c = request->components[i];
    int64_t h = 0, v = 0, blocksPerRow = 0, blockRows = 0;
    if (!ReadInt(object, "h", 1, 4, &h) || !ReadInt(object, "v", 1, 4, &v) ||
        !ReadInt(object, "blocksPerRow", 1, 65536, &blocksPerRow) ||
        !ReadInt(object, "blockRows", 1, 65536, &blockRows)) {
      return false;
    }
    if (h > maxH || v > maxV) return Throw(env, "component sampling factors exceed maxH/maxV");
    c.h = static_cast<int>(h);
    c.v = static_cast<int>(v);
    c.blocksPerRow = static_cast<int>(blocksPerRow);
    c.blockRows = static_cast<int>(blockRows);
    c.values = static_cast<size_t>(blocksPerRow) * static_cast<size_t>(blockRows) * 64;
    // The plane must cover the samples the frame needs (libjpeg's downsampled size).
    const int64_t widthIn = (width * h + maxH - 1) / maxH, heightIn = (height * v + maxV - 1) / maxV;
    if (widthIn > blocksPerRow * 8 || heightIn > blockRows * 8) {
      return Throw(env, "component block grid smaller than the frame");
    }
    Napi::Value quant = object.Get("quant"), coefficients = object.Get("coefficients");
    if (!quant.IsTypedArray() || quant.As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array ||
        quant.As<Napi::TypedArray>().ElementLength() != 64) {
      return Throw(env, "Expected a Uint16Array of 64 entries for quant");
    }
    if (!coefficients.IsTypedArray() || coefficients.As<Napi::TypedArray>().TypedArrayType() != napi_int16_array ||
        coefficients.As<Napi::TypedArray>().ElementLength() != c.values) {
      return Throw(env, "Expected an Int16Array of blocksPerRow * blockRows * 64 values for coefficients");
    }
    Napi::Uint16Array q = quant.As<Napi::Uint16Array>();
    Napi::Int16Array k = coefficients.As<Napi::Int16Array>();
    c.quantRef = Napi::Persistent(q);
    c.coefficientsRef = Napi::Persistent(k);
    c.quant = q.Data();
    c.coefficients = k.Data();
  }
  return true;
}

bool ParseSpec(Napi::Env env, const Napi::Value& value, ExactRequest* request) {
  if (!value.IsObject()) return Throw(env, "Expected an object for spec");
  Napi::Object spec = value.As<Napi::Object>();
  std::string format, location;
  int64_t orientation = 1, width = 0, height = 0, stride = 0;
  if (!ReadString(spec, "format", &format) || !ReadInt(spec, "orientation", 1, 8, &orientation) ||
      !ReadInt(spec, "width", 1, 65535, &width) || !ReadInt(spec, "height", 1, 65535, &height) ||
      !ReadString(spec, "location", &location)) {
    return false;
  }
  if (!ParsePixelFormat(format, &request->format)) return Throw(env, "Unknown pixel format " + format);
  if (location != "host" && location != "device") return Throw(env, "Expected 'host' or 'device' for location");
  if (width != request->width || height != request->height) {
    return Throw(env, "spec size differs from the frame's");
  }
  request->orientation = static_cast<int>(orientation);
  request->toDevice = location == "device";
  const bool swap = orientation >= 5;
  request->outWidth = swap ? request->height : request->width;
  request->outHeight = swap ? request->width : request->height;
  if (!request->toDevice) {
    Napi::Value out = spec.Get("out");
    if (!IsUint8Array(out)) return Throw(env, "Expected a Uint8Array for out (host decodes)");
    if (!ReadInt(spec, "outStride", 1, int64_t{1} << 31, &stride)) return false;
    Napi::Uint8Array target = out.As<Napi::Uint8Array>();
    const size_t rowBytes = static_cast<size_t>(request->outWidth) * BytesPerPixel(request->format);
    const size_t rows = RowsOf(request->format, request->outHeight);
    if (static_cast<size_t>(stride) < rowBytes ||
        target.ByteLength() < static_cast<size_t>(stride) * (rows - 1) + rowBytes) {
      return Throw(env, "out is too small for the decoded image");
    }
    request->outRef = Napi::Persistent(target);
    request->out = target.Data();
    request->outStride = static_cast<size_t>(stride);
  }
  return true;
}

class ExactDecodeWorker : public PromiseWorker {
 public:
  ExactDecodeWorker(Napi::Env env, std::shared_ptr<Engine> engine, ExactRequest request)
      : PromiseWorker(env), engine_(std::move(engine)), request_(std::move(request)) {}

 private:
  void Run() override {
    Lease<DecodeSlot> slot;
    failure_ = engine_->AcquireDecode(&slot);
    if (!failure_.ok()) return;
    failure_ = Decode(*slot);
    if (!failure_.ok()) {
      // Work queued before the failure may still read or write the blocks: let it finish first.
      cudaStreamSynchronize(slot->stream);
      cudaGetLastError();
      result_.reset();
    }
    input_.reset();
    planes_.reset();
  }

  Failure Decode(DecodeSlot& slot) {
    ExactRequest& r = request_;
    const int count = static_cast<int>(r.components.size());
    ExactFrameGrid grid;
    grid.width = r.width;
    grid.height = r.height;
    grid.maxH = r.maxH;
    grid.maxV = r.maxV;
    grid.components = count;
    for (int c = 0; c < count; ++c) {
      const ExactComponentInput& input = r.components[c];
      grid.component[c] = ExactComponentGrid{input.h, input.v, input.blocksPerRow, input.blockRows};
    }

    // 1. Upload: the launch tables, the quantisation tables (int16, as libjpeg's ISLOW_MULT_TYPE), then each
    //    component's coefficients.
    const size_t quantAt = AlignUp(ExactPixelsPlan::BytesFor(1));
    size_t inputBytes = quantAt + AlignUp(static_cast<size_t>(count) * 64 * sizeof(int16_t));
    std::vector<size_t> coefficientOffset(count);
    for (int c = 0; c < count; ++c) {
      coefficientOffset[c] = inputBytes;
      inputBytes += AlignUp(r.components[c].values * sizeof(int16_t));
    }
    size_t planeOffset[3], planePitch[3];
    const size_t planeBytes = LayoutExactPlanes(grid, planeOffset, planePitch);
    DevicePool& pool = *engine_->pool();
    std::shared_ptr<DeviceAllocation>&input = input_, &planes = planes_;
    JK_TRY(pool.Acquire(inputBytes, &input));
    JK_TRY(pool.Acquire(planeBytes, &planes));
    const size_t pitch = DevicePitch(static_cast<size_t>(r.outWidth) * BytesPerPixel(r.format));
    JK_TRY(pool.Acquire(pitch * RowsOf(r.format, r.outHeight), &result_));
    pitch_ = pitch;

    // 2.–4. IDCT, then upsampling + colour + layout + orientation.
    const int16_t* coefficients[3] = {};
    for (int c = 0; c < count; ++c) {
      coefficients[c] = reinterpret_cast<const int16_t*>(input->data() + coefficientOffset[c]);
    }
    ExactPixelsPlan plan;
    JK_TRY(plan.Add(grid, coefficients, reinterpret_cast<const int16_t*>(input->data() + quantAt), planes->data(),
                    r.format, r.orientation, result_->data(), pitch, r.outHeight));
    JK_TRY(slot.staging.Reserve(inputBytes));
    uint8_t* staged = slot.staging.data();
    plan.Write(staged);
    for (int c = 0; c < count; ++c) {
      int16_t* table = reinterpret_cast<int16_t*>(staged + quantAt) + c * 64;
      for (int i = 0; i < 64; ++i) table[i] = static_cast<int16_t>(r.components[c].quant[i]);
      std::memcpy(staged + coefficientOffset[c], r.components[c].coefficients, r.components[c].values * 2);
    }
    JK_CUDA(cudaMemcpyAsync(input->data(), staged, inputBytes, cudaMemcpyHostToDevice, slot.stream));
    JK_TRY(plan.Launch(input->data(), slot.stream));
    // The staging buffer and the input and plane blocks are free again once the stream has got here.
    JK_CUDA(cudaStreamSynchronize(slot.stream));
    input.reset();
    planes.reset();
    if (r.toDevice) return Ok();

    // 5. Download.
    const size_t rowBytes = static_cast<size_t>(r.outWidth) * BytesPerPixel(r.format);
    const size_t rows = RowsOf(r.format, r.outHeight);
    JK_TRY(slot.staging.Reserve(r.outStride * (rows - 1) + rowBytes));
    JK_CUDA(cudaMemcpy2DAsync(slot.staging.data(), r.outStride, result_->data(), pitch, rowBytes, rows,
                              cudaMemcpyDeviceToHost, slot.stream));
    JK_CUDA(cudaStreamSynchronize(slot.stream));
    CopyRows(r.out, r.outStride, slot.staging.data(), r.outStride, rowBytes, rows);
    result_.reset();
    return Ok();
  }

  Napi::Value Resolve(Napi::Env env) override {
    Napi::Object outcome = Napi::Object::New(env);
    outcome.Set("width", request_.outWidth);
    outcome.Set("height", request_.outHeight);
    outcome.Set("route", "exact");
    if (request_.toDevice) {
      DeviceImageData data{std::move(result_), request_.outWidth, request_.outHeight, pitch_, request_.format};
      outcome.Set("image", CudaImageHandle::New(env, std::move(data)));
    }
    return outcome;
  }

  std::shared_ptr<Engine> engine_;
  ExactRequest request_;
  std::shared_ptr<DeviceAllocation> result_, input_, planes_;
  size_t pitch_ = 0;
};

}  // namespace

Napi::Value StartDecodeExact(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<Engine> engine = EngineObject::EngineOf(info[0]);
  if (!engine) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(
        ToJsError(env, Fail("E_BACKEND_INIT", "decodeExact needs a live CudaEngine (disposed, or not one)")).Value());
    return deferred.Promise();
  }
  ExactRequest request;
  if (!ParseFrame(env, info[1], &request) || !ParseSpec(env, info[2], &request)) return env.Undefined();
  return (new ExactDecodeWorker(env, std::move(engine), std::move(request)))->Start();
}

}  // namespace jpegkit
