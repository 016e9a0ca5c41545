// CudaImageHandle: device-resident images, their download and release (see device-image.h).
#include "device-image.h"

#include <cuda_runtime_api.h>

#include "addon-data.h"
#include "args.h"
#include "worker.h"

namespace jpegkit {

namespace {

class DownloadWorker : public PromiseWorker {
 public:
  DownloadWorker(Napi::Env env, DeviceImageData image, Napi::Uint8Array out, size_t stride)
      : PromiseWorker(env),
        image_(std::move(image)),
        out_(Napi::Persistent(out)),
        target_(out.Data()),
        stride_(stride) {}

 private:
  void Run() override {
    const size_t rowBytes = static_cast<size_t>(image_.width) * BytesPerPixel(image_.format);
    const size_t rows = RowsOf(image_.format, image_.height);
    cudaError_t error = cudaSetDevice(image_.memory->device());
    if (error == cudaSuccess) {
      // Synchronous 2-D copy straight into the JS buffer: downloads are occasional (the hot paths copy
      // through pinned staging inside the decode), and this works after the engine is disposed too.
      error = cudaMemcpy2D(target_, stride_, image_.memory->data(), image_.pitch, rowBytes, rows,
                           cudaMemcpyDeviceToHost);
    }
    if (error != cudaSuccess) {
      cudaGetLastError();
      failure_ = FromCuda(error, "cudaMemcpy2D (download)");
    }
    image_.memory.reset();  // back to the pool now that the copy is done
  }
  Napi::Value Resolve(Napi::Env env) override { return env.Undefined(); }

  DeviceImageData image_;
  Napi::Reference<Napi::Uint8Array> out_;
  uint8_t* target_;
  size_t stride_;
};

}  // namespace

Napi::Function CudaImageHandle::Define(Napi::Env env) {
  return DefineClass(env, "CudaImageHandle",
                     {
                         InstanceAccessor<&CudaImageHandle::Width>("width"),
                         InstanceAccessor<&CudaImageHandle::Height>("height"),
                         InstanceAccessor<&CudaImageHandle::Pitch>("pitch"),
                         InstanceAccessor<&CudaImageHandle::Format>("format"),
                         InstanceAccessor<&CudaImageHandle::Bytes>("bytes"),
                         InstanceAccessor<&CudaImageHandle::Released>("released"),
                         InstanceMethod<&CudaImageHandle::Download>("download"),
                         InstanceMethod<&CudaImageHandle::Release>("release"),
                     });
}

Napi::Object CudaImageHandle::New(Napi::Env env, DeviceImageData data) {
  Napi::Object object = GetAddonData(env)->imageClass.New({});
  Unwrap(object)->data_ = std::move(data);
  return object;
}

CudaImageHandle* CudaImageHandle::From(const Napi::Value& value) {
  if (!value.IsObject()) return nullptr;
  Napi::Object object = value.As<Napi::Object>();
  if (!object.InstanceOf(GetAddonData(value.Env())->imageClass.Value())) return nullptr;
  return Unwrap(object);
}

CudaImageHandle::CudaImageHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CudaImageHandle>(info) {}

Napi::Value CudaImageHandle::Width(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), data_.width); }
Napi::Value CudaImageHandle::Height(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), data_.height);
}
Napi::Value CudaImageHandle::Pitch(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(data_.pitch));
}
Napi::Value CudaImageHandle::Format(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), PixelFormatName(data_.format));
}
Napi::Value CudaImageHandle::Bytes(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), data_.memory ? static_cast<double>(data_.memory->capacity()) : 0.0);
}
Napi::Value CudaImageHandle::Released(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), data_.memory == nullptr);
}

Napi::Value CudaImageHandle::Download(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!data_.memory) {
    Napi::Error error = Napi::Error::New(env, "this device image has been released");
    error.Value().Set("code", "E_INVALID_ARGUMENT");
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(error.Value());
    return deferred.Promise();
  }
  if (info.Length() < 2 || !IsUint8Array(info[0]) || !info[1].IsNumber()) {
    Throw(env, "download(out: Uint8Array, stride: number)");
    return env.Undefined();
  }
  Napi::Uint8Array out = info[0].As<Napi::Uint8Array>();
  const int64_t stride = info[1].As<Napi::Number>().Int64Value();
  const size_t rowBytes = static_cast<size_t>(data_.width) * BytesPerPixel(data_.format);
  const size_t rows = RowsOf(data_.format, data_.height);
  if (stride < static_cast<int64_t>(rowBytes) ||
      out.ByteLength() < static_cast<size_t>(stride) * (rows - 1) + rowBytes) {
    Throw(env, "download: the output buffer is too small for " + std::to_string(data_.width) + "x" +
                   std::to_string(data_.height) + " " + PixelFormatName(data_.format));
    return env.Undefined();
  }
  auto* worker = new DownloadWorker(env, data_, out, static_cast<size_t>(stride));
  return worker->Start();
}

void CudaImageHandle::Release(const Napi::CallbackInfo&) { data_.memory.reset(); }

}  // namespace jpegkit
