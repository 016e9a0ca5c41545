// See kernel-encode.h. A call's images go to the GPU in groups of a bounded number of blocks (64 int16
// coefficients each stay on the device between the kernels); each group is one upload of its descriptors, the
// kernels, and one wait, after which the stuffed bytes are already in pinned memory. The byte arena is sized
// from a guess per block: an image that does not fit is encoded again with the size its first pass measured.
#include "kernel-encode.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "encode-plan.h"
#include "kernels/encode-kernels.h"
#include "pixel-format.h"

namespace jpegkit {

namespace {

constexpr int64_t kGroupBlocks = 256 * 1024;  // 32 MiB of coefficients
constexpr size_t kAlign = 256;

size_t Align(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }
int64_t Align16(int64_t n) { return (n + 15) / 16 * 16; }

bool SamplingOf(const EncodeSettings& settings, PixelFormat format, EncodeSampling* out) {
  if (format == PixelFormat::kGray || settings.subsampling == NVJPEG_CSS_GRAY) {
    *out = EncodeSampling::kGray;
    return true;
  }
  switch (settings.subsampling) {
    case NVJPEG_CSS_444: *out = EncodeSampling::k444; return true;
    case NVJPEG_CSS_422: *out = EncodeSampling::k422; return true;
    case NVJPEG_CSS_420: *out = EncodeSampling::k420; return true;
    default: return false;
  }
}

// The pixels of `source` for the kernels: R, G, B (or the one gray channel) wherever the format keeps them.
EncodeImage ImageOf(const EncodeSource& source) {
  const ChannelLayout layout = RgbLayoutOf(source.format, source.data, source.pitch, source.height);
  EncodeImage image{};
  image.base = layout.base;
  image.rowPitch = layout.rowPitch;
  image.step = layout.step;
  image.gray = source.format == PixelFormat::kGray ? 1 : 0;
  for (int c = 0; c < 3; ++c) image.offset[c] = image.gray ? 0 : layout.offset[c];
  image.width = source.width;
  image.height = source.height;
  return image;
}

// The coded bytes the arena gets per block before an image is measured: plenty for photos up to quality ~95.
int64_t GuessBytesPerBlock(int quality) { return quality >= 90 ? 64 : 32; }

struct Group {
  std::vector<size_t> members;  // indices into the call's sources
  std::vector<EncodeImage> images;
  std::vector<int64_t> unstuffed;  // arena bytes each needs (guessed, or measured for a second pass)
  int64_t blocks = 0, maxBlocks = 0;

  // Source `index`, its blocks described, after the group's blocks so far.
  void Add(size_t index, EncodeImage image, int64_t bytes) {
    image.firstBlock = blocks;
    members.push_back(index);
    images.push_back(image);
    unstuffed.push_back(bytes);
    blocks += image.blocks;
    maxBlocks = std::max(maxBlocks, image.blocks);
  }
};

class KernelEncoder {
 public:
  KernelEncoder(Engine* engine, EncodeSlot& slot, cudaStream_t stream, const EncodePlan& plan)
      : engine_(engine), slot_(slot), stream_(stream), plan_(plan) {}

  // Runs a group; images that did not fit the arena come back in `again` with their measured size.
  Failure Run(const Group& group, const std::vector<EncodeSource>& sources,
              std::vector<std::vector<uint8_t>>* outputs, Group* again) {
    const size_t n = group.images.size();
    // Each image's part of the arena: its guessed (or measured) coded bytes, 16-byte aligned.
    std::vector<EncodeImage> images = group.images;
    int64_t unstuffed = 0, largest = 0;
    for (size_t k = 0; k < n; ++k) {
      images[k].arenaAt = unstuffed;
      images[k].arenaBytes = Align16(group.unstuffed[k]);
      unstuffed += images[k].arenaBytes;
      largest = std::max(largest, images[k].arenaBytes);
    }
    const int64_t stuffed = 2 * unstuffed;
    // Device: layout, images, results, coefficients, AC bits, offsets, tile rows, arena.
    const size_t layoutAt = 0, imagesAt = Align(sizeof(EncodeLayout)), resultsAt = imagesAt + Align(n * sizeof(EncodeImage));
    const size_t coefAt = resultsAt + Align(n * sizeof(EncodeResult));
    const size_t acAt = coefAt + Align(static_cast<size_t>(group.blocks) * 128);
    const size_t offsetsAt = acAt + Align(static_cast<size_t>(group.blocks) * 4);
    const int64_t maxBitTiles = (group.maxBlocks + kEncodeBitTile - 1) / kEncodeBitTile;
    const int64_t maxStuffTiles = std::max<int64_t>(1, (largest + kEncodeStuffTile - 1) / kEncodeStuffTile);
    const size_t bitTilesAt = offsetsAt + Align(static_cast<size_t>(group.blocks) * 8);
    const size_t stuffTilesAt = bitTilesAt + Align(n * static_cast<size_t>(maxBitTiles) * 8);
    const size_t arenaAt = stuffTilesAt + Align(n * static_cast<size_t>(maxStuffTiles) * 8);
    const size_t deviceBytes = arenaAt + static_cast<size_t>(unstuffed + stuffed);
    std::shared_ptr<DeviceAllocation> memory;
    JK_TRY(slot_.kernelScratch.Get(engine_->pool().get(), 0, deviceBytes, &memory));
    uint8_t* d = memory->data();
    // Pinned: the descriptors to upload, then the results and the stuffed bytes the kernels publish.
    const size_t uploadBytes = imagesAt + n * sizeof(EncodeImage);
    const size_t hostResultsAt = Align(uploadBytes), hostBytesAt = hostResultsAt + Align(n * sizeof(EncodeResult));
    JK_TRY(slot_.kernelStaging.Reserve(hostBytesAt + static_cast<size_t>(stuffed)));
    uint8_t* h = slot_.kernelStaging.data();
    std::memcpy(h + layoutAt, &plan_.layout, sizeof(EncodeLayout));
    std::memcpy(h + imagesAt, images.data(), n * sizeof(EncodeImage));
    JK_CUDA(cudaMemcpyAsync(d, h, uploadBytes, cudaMemcpyHostToDevice, stream_));
    EncodeBuffers b{};
    b.layout = reinterpret_cast<const EncodeLayout*>(d + layoutAt);
    b.images = reinterpret_cast<const EncodeImage*>(d + imagesAt);
    b.imageCount = static_cast<int>(n);
    b.maxBlocks = group.maxBlocks;
    b.coefficients = reinterpret_cast<int16_t*>(d + coefAt);
    b.acBits = reinterpret_cast<uint32_t*>(d + acAt);
    b.offsets = reinterpret_cast<uint64_t*>(d + offsetsAt);
    b.arena = d + arenaAt;
    b.unstuffedBytes = unstuffed;
    b.stuffedBytes = stuffed;
    b.results = reinterpret_cast<EncodeResult*>(d + resultsAt);
    b.host = h + hostBytesAt;
    b.hostResults = reinterpret_cast<EncodeResult*>(h + hostResultsAt);
    b.bitTiles = reinterpret_cast<unsigned long long*>(d + bitTilesAt);
    b.stuffTiles = reinterpret_cast<long long*>(d + stuffTilesAt);
    b.maxBitTiles = maxBitTiles;
    b.maxStuffTiles = maxStuffTiles;
    JK_CUDA(LaunchJpegEncode(b, stream_));
    JK_CUDA(cudaStreamSynchronize(stream_));
    for (size_t k = 0; k < n; ++k) {
      const EncodeResult& r = b.hostResults[k];
      const size_t i = group.members[k];
      if (r.overflow) {
        again->Add(i, group.images[k], static_cast<int64_t>((r.bits + 7) / 8));
        continue;
      }
      std::vector<uint8_t>& out = (*outputs)[i];
      out.clear();
      out.reserve(static_cast<size_t>(r.length) + 700);
      AppendJpegHeader(plan_, sources[i].width, sources[i].height, &out);
      out.insert(out.end(), b.host + r.stuffedAt, b.host + r.stuffedAt + r.length);
      out.push_back(0xFF);
      out.push_back(0xD9);
    }
    return Ok();
  }

 private:
  Engine* engine_;
  EncodeSlot& slot_;
  cudaStream_t stream_;
  const EncodePlan& plan_;
};

}  // namespace

bool KernelsEncode(const EncodeSettings& settings) {
  EncodeSampling sampling;
  return !settings.nvjpeg && !settings.optimize && !settings.progressive &&
         SamplingOf(settings, PixelFormat::kRgb, &sampling);
}

void EncodeBatchWithKernels(Engine* engine, EncodeSlot& slot, cudaStream_t stream,
                            const std::vector<EncodeSource>& sources, const EncodeSettings& settings,
                            std::vector<std::vector<uint8_t>>* outputs, std::vector<Failure>* failures) {
  outputs->resize(sources.size());
  failures->resize(sources.size(), Ok());
  // One plan per output sampling (a gray source makes a gray JPEG whatever the settings say).
  EncodePlan plans[2];
  EncodeSampling colour = EncodeSampling::k420;
  std::string error = SamplingOf(settings, PixelFormat::kRgb, &colour) ? "" : "unsupported sampling";
  if (error.empty()) error = MakeEncodePlan(settings.quality, colour, &plans[0]);
  if (error.empty()) error = MakeEncodePlan(settings.quality, EncodeSampling::kGray, &plans[1]);
  if (!error.empty()) {
    for (Failure& failure : *failures) {
      if (failure.ok()) failure = Fail("E_UNSUPPORTED", "our JPEG encoder: " + error);
    }
    return;
  }
  for (int p = 0; p < 2; ++p) {
    Group group;
    auto flush = [&]() {
      Group again;
      if (!group.members.empty()) {
        KernelEncoder encoder(engine, slot, stream, plans[p]);
        Failure failure = encoder.Run(group, sources, outputs, &again);
        if (failure.ok() && !again.members.empty()) {
          Group none;
          failure = encoder.Run(again, sources, outputs, &none);
          if (failure.ok() && !none.members.empty()) failure = Fail("E_INTERNAL", "our JPEG encoder's arena overflowed twice");
        }
        if (!failure.ok()) {
          for (size_t i : group.members) (*failures)[i] = failure;
        }
      }
      group = Group{};
    };
    for (size_t i = 0; i < sources.size(); ++i) {
      if (!(*failures)[i].ok()) continue;
      EncodeSampling sampling;
      const bool gray = SamplingOf(settings, sources[i].format, &sampling) && sampling == EncodeSampling::kGray;
      if (gray != (p == 1)) continue;
      if (sources[i].width < 1 || sources[i].height < 1 || sources[i].width > 65535 || sources[i].height > 65535) {
        (*failures)[i] = Fail("E_INVALID_ARGUMENT", "a JPEG is 1…65535 pixels wide and high");
        continue;
      }
      EncodeImage image = ImageOf(sources[i]);
      const int64_t blocks = DescribeEncodeImage(plans[p], 0, &image);
      if (!group.members.empty() && group.blocks + blocks > kGroupBlocks) flush();
      group.Add(i, image, blocks * GuessBytesPerBlock(settings.quality));
    }
    flush();
  }
}

}  // namespace jpegkit
