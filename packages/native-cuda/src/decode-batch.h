// Decoding a list of JPEGs on one decode slot: the body of engine.decode / engine.decodeBatch, and the first
// stage of fused pipelines (pipeline.cc).
//   0. with the kernels route, our own GPU Huffman decoder and exact kernels take what they can (kernel-decode.h);
//   1. every other image is routed: the hardware decoder (batched API) when the GPU has one and nvJPEG says it takes
//      the stream (baseline, one scan, no 4:1:1…), else the decoupled API with CPU Huffman (hybrid; all
//      progressive images) or GPU Huffman (gpu-hybrid; large baseline images);
//   2. nvJPEG writes the output format directly when there is one (rgb → RGBI …), or planar RGB / Y into a
//      scratch block that one kernel turns into rgba/bgra and/or applies the EXIF orientation;
//   3. host results go device → pinned staging → the caller's buffer; device results stay as pooled blocks.
// A hardware batch that fails is decoded again image by image, so one bad file costs only its own result.
#pragma once

#include <napi.h>

#include <memory>
#include <vector>

#include "device-pool.h"
#include "engine.h"
#include "errors.h"
#include "nvjpeg-api.h"
#include "pixel-format.h"

namespace jpegkit {

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
  bool hostUnstuff = false;  // our kernels' unstuffing found a marker in the scan: the host unstuffs it
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

// Reads one image and its spec ({ format, orientation, width, height, location, progressive?,
// hardwareCandidate?, out?, outStride? }) on the JS thread; throws a TypeError and returns false when wrong.
bool ParseDecodeItem(Napi::Env env, const Napi::Value& bytes, const Napi::Value& specValue, DecodeItem* item);

// Which decoders a call may use:
//   kAuto         nvJPEG: the hardware decoder for what it takes, else hybrid / gpu-hybrid;
//   kHybrid       nvJPEG without the hardware decoder;
//   kKernels      our own kernels (kernel-decode.h) for what they take, nvJPEG (as kAuto) for the rest;
//   kKernelsOnly  our own kernels; what they do not take fails with E_UNSUPPORTED and the reason.
enum class DecodeRoute { kAuto, kHybrid, kKernels, kKernelsOnly };

// Reads a call's optional { route: 'auto' | 'hybrid' | 'kernels' | 'kernels-only' }; throws a TypeError and
// returns false when wrong.
bool ReadDecodeRoute(const Napi::Value& options, DecodeRoute* route);

// Our kernels' decode of a whole call left running (DecodeItems with `pending`): what the GPU decoder flags is
// known only when its stream is done. The caller queues what uses the images on slot.stream (which waits for the
// decode), waits for slot.stream, then calls Finish.
struct PendingKernelDecode {
  std::vector<DecodeItem*> items;
  const uint32_t* status = nullptr;  // pinned, one word per item (0: decoded)
  std::vector<std::shared_ptr<DeviceAllocation>> blocks;  // what the GPU still reads
  bool active = false;
  // The items the decoder flagged (their result blocks hold no image): to be decoded again without `pending`.
  // Releases the blocks.
  std::vector<DecodeItem*> Finish();
};

// Decodes every item on `slot` (one output format for all: the caller checks). Each item's failure lands in
// item.failure; device results stay in item.result, host results are copied out. The slot's stream has finished
// when this returns, unless `pending` is given and our kernels took every item in one cooperative launch: then
// the decode is still running and `pending` is active (see PendingKernelDecode).
void DecodeItems(Engine* engine, DecodeSlot& slot, std::vector<DecodeItem>& items, DecodeRoute route,
                 PendingKernelDecode* pending = nullptr);

}  // namespace jpegkit
