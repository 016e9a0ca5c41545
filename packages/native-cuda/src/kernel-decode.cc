// See kernel-decode.h. One call, on the slot's stream:
//   1. host: each image's headers (baseline-scan.cc); its entropy-coded data uploaded as it is from the caller's
//      buffer when the scan has no restart markers and the file ends with EOI (the unstuffing kernels of
//      kernels/unstuff.h remove the stuffing and fix the chunk list), else unstuffed into pinned staging; with
//      the scan descriptions, chunk list, interval offsets and quantisation tables, one upload;
//   2. sync passes until a pass changes no chunk's exit (pass 0 starts each chunk's guess a lead-in early): a
//      small call in one cooperative launch that stops at the settled pass, a large one queued in rounds without
//      readbacks (passes after the settled one return at once); then the starts and decode kernels (the decode
//      writes only the coded values into coefficient planes zeroed after the upload);
//   3. for all images at once (ExactPixelsPlan): islow IDCT into component planes, then fancy upsampling +
//      colour written straight into each item's result block (format, orientation);
//   4. images the decoder flagged (libjpeg would warn) are handed back for nvJPEG or the caller.
// Progressive images go one by one after that: coefficients from the CPU decoder (progressive-scan.h) in pinned
// staging, one upload, the layout made natural order, then the same IDCT and image kernels.
#include "kernel-decode.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "baseline-scan.h"
#include "exact-pixels.h"
#include "kernels/huffman-math.cuh"
#include "kernels/huffman.h"
#include "kernels/unstuff.h"
#include "progressive-scan.h"

namespace jpegkit {

namespace {

constexpr size_t kAlign = 256;
inline size_t AlignUp(size_t n, size_t to = kAlign) { return (n + to - 1) / to * to; }

struct Accepted {
  DecodeItem* item = nullptr;
  std::unique_ptr<BaselineScanFacts> facts;
  size_t dataAt = 0, dataBound = 0, dataBytes = 0;
  // Unstuffed on the GPU: the raw data's size, and where it, the unstuffed data and the tiles' counts go in the
  // device's region after the upload (dataAt is then in that region).
  bool raw = false;
  size_t rawBytes = 0, unstuffedAt = 0, tileCountsAt = 0;
  size_t chunkCount = 0;  // its chunks in the call's list (with padding)
  size_t coefficientAt[3] = {};
  ExactFrameGrid grid;
  int firstChunk = 0;
};

struct Progressive {
  DecodeItem* item = nullptr;
  std::unique_ptr<ProgressiveFrame> frame;
  ExactFrameGrid grid;
};

// JPEGKIT_CUDA_TRACE=1: each call prints where its time went: per phase (parse, staging, unstuff, acquire,
// raw-upload, prep, upload, gpu-unstuff, candidates, settle (or pass … — rounds, with candidates — and starts),
// decode, idct, pixels), GPU time between the phases' events and (after the slash) the host thread's time to reach
// the phase's mark (preparing, enqueueing, waiting), then the whole call's wall time.
class Trace {
 public:
  using Clock = std::chrono::steady_clock;
  static float Since(Clock::time_point from) {
    return std::chrono::duration<float, std::milli>(Clock::now() - from).count();
  }

  explicit Trace(cudaStream_t stream) : stream_(stream), on_(std::getenv("JPEGKIT_CUDA_TRACE") != nullptr) {
    if (on_) start_ = last_ = Clock::now();
  }
  ~Trace() {
    if (!on_) return;
    cudaStreamSynchronize(stream_);
    std::string line = "jpegkit kernels:";
    for (size_t i = 0; i < events_.size(); ++i) {
      float ms = 0;
      if (i > 0) cudaEventElapsedTime(&ms, events_[i - 1], events_[i]);
      char part[128];
      std::snprintf(part, sizeof part, " %s %.3f/%.3f", names_[i].c_str(), ms, hostMs_[i]);
      line += part;
    }
    for (cudaEvent_t event : events_) cudaEventDestroy(event);
    char wall[64];
    std::snprintf(wall, sizeof wall, " wall %.3f ms", Since(start_));
    std::fprintf(stderr, "%s%s%s\n", line.c_str(), wall, notes_.c_str());
  }
  bool on() const { return on_; }
  // A host time measured inside a phase, printed after the wall time (" name ms").
  void Note(const char* name, float ms) {
    if (!on_) return;
    char part[64];
    std::snprintf(part, sizeof part, " %s %.3f", name, ms);
    notes_ += part;
  }
  void NoteText(const std::string& text) {
    if (on_) notes_ += " " + text;
  }
  // A phase ends here: `name`, numbered when `number` ≥ 0 (names are built only while tracing: the passes mark
  // on the hot path).
  void Mark(const char* name, int number = -1) {
    if (!on_) return;
    Record(number < 0 ? std::string(name) : name + std::to_string(number));
  }
  // The host preparation's mark, with the call's size.
  void MarkPrepared(int images, int chunks) {
    if (!on_) return;
    Record("prep(" + std::to_string(images) + " images, " + std::to_string(chunks) + " chunks)");
  }

 private:
  void Record(const std::string& name) {
    hostMs_.push_back(Since(last_));
    last_ = Clock::now();
    cudaEvent_t event;
    cudaEventCreate(&event);
    cudaEventRecord(event, stream_);
    events_.push_back(event);
    names_.push_back(name);
  }

  cudaStream_t stream_;
  bool on_;
  Clock::time_point start_, last_;
  std::vector<float> hostMs_;
  std::vector<cudaEvent_t> events_;
  std::vector<std::string> names_;
  std::string notes_;
};

// Candidates per chunk at most (JPEGKIT_CUDA_CANDIDATES, for measurements: 0 or 1 turns them off, up to 6). By
// default 6: one per block of a 4:2:0 MCU; 12 (each block, from a block's start and from inside one) made
// pass 0 slower than they saved on an H200.
constexpr int kDefaultCandidates = 6;
int CandidateLimit() {
  const char* value = std::getenv("JPEGKIT_CUDA_CANDIDATES");
  const int n = value == nullptr ? kDefaultCandidates : std::atoi(value);
  return std::max(1, std::min(n, huff::kMaxCandidates));
}

// Chunk and lead-in lengths can be set for measurements (JPEGKIT_CUDA_CHUNK_BITS, JPEGKIT_CUDA_LEAD_BITS:
// multiples of 32 from 256 to 8192); otherwise ChooseChunkBits / ChooseLeadBits decide.
int TunedBits(const char* name, int chosen) {
  const char* value = std::getenv(name);
  if (value == nullptr) return chosen;
  const int bits = std::atoi(value);
  return bits >= 256 && bits <= 8192 && bits % 32 == 0 ? bits : chosen;
}

// Unstuffing on the GPU (kernels/unstuff.h) for scans without restart markers in files that end with EOI;
// JPEGKIT_CUDA_GPU_UNSTUFF=0 unstuffs everything on the host, to compare.
bool GpuUnstuffing() {
  static const bool on = [] {
    const char* v = std::getenv("JPEGKIT_CUDA_GPU_UNSTUFF");
    return v == nullptr || std::strcmp(v, "0") != 0;
  }();
  return on;
}

class KernelDecoder {
 public:
  KernelDecoder(Engine* engine, DecodeSlot& slot, std::vector<DecodeItem*>* rest, std::vector<std::string>* reasons,
                PendingKernelDecode* pending)
      : engine_(engine), slot_(slot), rest_(rest), reasons_(reasons), pending_(pending), trace_(slot.kernelStream) {}

  void Run(const std::vector<DecodeItem*>& items) {
    for (DecodeItem* item : items) {
      auto facts = std::make_unique<BaselineScanFacts>();
      std::string reason;
      if (!ParseBaselineScan(item->data, item->length, facts.get(), &reason)) {
        if (item->progressive) TakeProgressive(item);
        else HandBack(item, reason);
      } else if (facts->width != item->width || facts->height != item->height) {
        HandBack(item, "the frame size differs from the header's");
      } else {
        Accepted accepted;
        accepted.item = item;
        accepted.grid = GridOf(*facts);
        accepted.facts = std::move(facts);
        if (ExactGridSupported(accepted.grid, &reason)) accepted_.push_back(std::move(accepted));
        else HandBack(item, reason);
      }
    }
    if (!accepted_.empty()) {
      trace_.Mark("parse");
      const Failure failure = Decode();
      if (!failure.ok()) {
        cudaStreamSynchronize(slot_.kernelStream);
        cudaGetLastError();
        for (Accepted& a : accepted_) {
          if (a.item != nullptr) a.item->failure = failure;
        }
      }
    }
    for (Progressive& p : progressive_) {
      const Failure failure = DecodeProgressiveItem(p);
      if (!failure.ok()) {
        cudaStreamSynchronize(slot_.kernelStream);
        cudaGetLastError();
        p.item->failure = failure;
      }
    }
  }

 private:
  // The exact kernels' grid of a frame either reader describes (BaselineScanFacts, ProgressiveFrame).
  template <typename Frame>
  static ExactFrameGrid GridOf(const Frame& f) {
    ExactFrameGrid grid;
    grid.width = f.width;
    grid.height = f.height;
    grid.maxH = f.maxH;
    grid.maxV = f.maxV;
    grid.components = f.components;
    for (int c = 0; c < f.components; ++c) {
      const ComponentGrid& k = f.component[c];
      grid.component[c] = ExactComponentGrid{k.h, k.v, k.blocksPerRow, k.blockRows};
    }
    return grid;
  }

  // A progressive JPEG: entropy-decoded on the CPU (progressive-scan.h), then the exact kernels as for ours.
  void TakeProgressive(DecodeItem* item) {
    Progressive p;
    p.item = item;
    p.frame = std::make_unique<ProgressiveFrame>();
    std::string reason;
    if (!ParseProgressive(item->data, item->length, p.frame.get(), &reason)) return HandBack(item, reason);
    const ProgressiveFrame& f = *p.frame;
    if (f.width != item->width || f.height != item->height) {
      return HandBack(item, "the frame size differs from the header's");
    }
    p.grid = GridOf(f);
    if (!ExactGridSupported(p.grid, &reason)) return HandBack(item, reason);
    progressive_.push_back(std::move(p));
  }

  // One progressive image: its coefficients decoded on the CPU straight into pinned staging (several threads),
  // uploaded with the quantisation and launch tables, then the IDCT and image kernels into its result block.
  Failure DecodeProgressiveItem(Progressive& p) {
    Trace& trace = trace_;
    const ProgressiveFrame& f = *p.frame;
    DecodeItem* item = p.item;
    const size_t quantAt = AlignUp(ExactPixelsPlan::BytesFor(1));
    size_t inputBytes = AlignUp(quantAt + 3 * 64 * sizeof(int16_t));
    size_t coefficientAt[3] = {}, dcAt[3] = {};
    for (int c = 0; c < f.components; ++c) {
      coefficientAt[c] = inputBytes;
      inputBytes += AlignUp(f.Values(c) * sizeof(int16_t));
      dcAt[c] = inputBytes;
      inputBytes += AlignUp(f.Blocks(c) * sizeof(int16_t));
    }
    JK_TRY(slot_.staging.Reserve(inputBytes));
    uint8_t* host = slot_.staging.data();
    int16_t* hostBlocks[3] = {};
    int16_t* hostDc[3] = {};
    int16_t* quant = reinterpret_cast<int16_t*>(host + quantAt);
    for (int c = 0; c < f.components; ++c) {
      hostBlocks[c] = reinterpret_cast<int16_t*>(host + coefficientAt[c]);
      hostDc[c] = reinterpret_cast<int16_t*>(host + dcAt[c]);
      for (int k = 0; k < 64; ++k) quant[c * 64 + k] = static_cast<int16_t>(f.quant[c][k]);
    }
    trace.Mark("progressive-staging");
    std::string reason;
    const Trace::Clock::time_point start = Trace::Clock::now();
    const int threads = ProgressiveThreads(f);
    if (!DecodeProgressive(f, hostBlocks, hostDc, threads, &reason)) {
      HandBack(item, "progressive data libjpeg would warn about: " + reason);
      return Ok();
    }
    trace.Note("progressiveDecode", Trace::Since(start));
    trace.NoteText("(" + std::to_string(f.scans.size()) + " scans, " + std::to_string(threads) + " threads)");
    trace.Mark("progressive-cpu");
    size_t planeOffset[3], planePitch[3];
    const size_t planeBytes = LayoutExactPlanes(p.grid, planeOffset, planePitch);
    std::shared_ptr<DeviceAllocation> input, planes;
    DevicePool& pool = *engine_->pool();
    JK_TRY(slot_.kernelScratch.Get(&pool, 0, inputBytes, &input));
    JK_TRY(slot_.kernelScratch.Get(&pool, 3, planeBytes, &planes));
    const int16_t* coefficients[3] = {};
    for (int c = 0; c < f.components; ++c) {
      coefficients[c] = reinterpret_cast<const int16_t*>(input->data() + coefficientAt[c]);
    }
    ExactPixelsPlan plan;
    JK_TRY(plan.Add(p.grid, coefficients, reinterpret_cast<const int16_t*>(input->data() + quantAt), planes->data(),
                    item->format, item->orientation, item->result->data(), item->pitch, item->outHeight));
    plan.Write(host);
    cudaStream_t stream = slot_.kernelStream;
    JK_CUDA(cudaMemcpyAsync(input->data(), host, inputBytes, cudaMemcpyHostToDevice, stream));
    trace.Mark("progressive-upload");
    // The decoder's layout (AC in zigzag order, DC apart) into natural order, in place.
    for (int c = 0; c < f.components; ++c) {
      JK_CUDA(LaunchNaturalFromZigzag(reinterpret_cast<int16_t*>(input->data() + coefficientAt[c]),
                                      reinterpret_cast<const int16_t*>(input->data() + dcAt[c]),
                                      static_cast<int64_t>(f.Blocks(c)), stream));
    }
    JK_TRY(plan.Launch(input->data(), stream));
    trace.Mark("progressive-pixels");
    // The staging buffer and the scratch blocks serve the next image once the stream has got here.
    JK_CUDA(cudaStreamSynchronize(stream));
    item->route = "kernels";
    return Ok();
  }

  void HandBack(DecodeItem* item, const std::string& reason) {
    rest_->push_back(item);
    reasons_->push_back(reason);
  }

  Failure Decode() {
    Trace& trace = trace_;
    // --- layout (bounds first: the staging buffer must not move once filled) ---------------------------------
    uint64_t boundBits = 0;
    for (Accepted& a : accepted_) {
      a.dataBound = AlignUp(a.item->length - a.facts->entropyStart + 16, 16);
      boundBits += a.dataBound * 8;
      // Scans without restart markers in files that end with EOI go up as they are, to be unstuffed on the GPU.
      a.raw = GpuUnstuffing() && !a.item->hostUnstuff && a.facts->restartInterval == 0 &&
              RawEntropySize(a.item->data, a.item->length, a.facts->entropyStart, &a.rawBytes);
    }
    // Pass 0's candidates (huffman.h) when the call's chunks times candidates fit on the GPU at once: then they
    // cost pass 0 little, and shorter chunks pay.
    const int residentThreads = HuffmanResidentThreads();
    int candidates = 1;
    for (Accepted& a : accepted_) {
      candidates = std::max(
          candidates, huff::CandidatesOf(SharedTables(*a.facts), a.facts->blocksInMcu, CandidateLimit()));
    }
    const auto chunksOf = [this](int bits) {
      size_t chunks = 0;
      for (Accepted& a : accepted_) chunks += a.dataBound * 8 / bits + 1 + kChunkThreads;
      return chunks;
    };
    // A chunk length set for a measurement counts here too: shorter chunks are more threads.
    const int candidateBits = TunedBits("JPEGKIT_CUDA_CHUNK_BITS", kCandidateChunkBits);
    if (candidates < 2 || static_cast<int64_t>(chunksOf(candidateBits)) * candidates > residentThreads) {
      candidates = 0;
    }
    const int chunkBits =
        candidates > 0 ? candidateBits : TunedBits("JPEGKIT_CUDA_CHUNK_BITS", ChooseChunkBits(boundBits));
    const size_t n = accepted_.size();
    size_t chunkBound = 0, intervalBound = 0;
    for (Accepted& a : accepted_) {
      const BaselineScanFacts& f = *a.facts;
      const size_t intervals = IntervalsOf(f.totalMcus, f.restartInterval);
      intervalBound += intervals + 1;
      chunkBound += a.dataBound * 8 / chunkBits + intervals + kChunkThreads;
    }
    const size_t scansAt = 0;
    const size_t jobsAt = AlignUp(scansAt + n * sizeof(GpuScan));
    const size_t imageChunksAt = AlignUp(jobsAt + n * sizeof(RawScanJob));
    const size_t quantAt = AlignUp(imageChunksAt + (n + 1) * sizeof(int32_t));
    const size_t tablesAt = AlignUp(quantAt + n * 3 * 64 * sizeof(int16_t));
    const size_t chunksAt = AlignUp(tablesAt + ExactPixelsPlan::BytesFor(n));
    const size_t intervalsAt = AlignUp(chunksAt + chunkBound * sizeof(GpuChunk));
    const size_t dataAt = AlignUp(intervalsAt + intervalBound * sizeof(uint32_t));
    size_t dataEnd = dataAt;
    // Data unstuffed on the host is uploaded from staging; the raw data goes to the device's region after the
    // upload, each image's followed by its unstuffed data and its tiles' counts.
    size_t rawEnd = 0;
    for (Accepted& a : accepted_) {
      if (a.raw) {
        a.dataAt = rawEnd;
        a.unstuffedAt = AlignUp(a.dataAt + a.rawBytes + kUnstuffSlack);
        a.tileCountsAt = AlignUp(a.unstuffedAt + a.dataBound);
        rawEnd = AlignUp(a.tileCountsAt + UnstuffTiles(static_cast<uint32_t>(a.dataBound)) * sizeof(uint32_t));
      } else {
        a.dataAt = dataEnd;
        dataEnd += a.dataBound;
      }
    }
    const size_t readbackAt = AlignUp(dataEnd);
    const size_t stagingBytes = readbackAt + n * sizeof(uint32_t);
    JK_TRY(slot_.staging.Reserve(stagingBytes));
    trace.Mark("staging");
    uint8_t* host = slot_.staging.data();

    // --- host: unstuff, chunk ------------------------------------------------------------------------------
    GpuChunk* chunks = reinterpret_cast<GpuChunk*>(host + chunksAt);
    size_t chunkCountSoFar = 0;
    std::vector<Accepted> kept;
    size_t intervalsUsed = 0;
    std::vector<size_t> intervalOffset;
    float unstuffMs = 0;
    for (Accepted& a : accepted_) {
      std::string reason;
      const Trace::Clock::time_point unstuffStart = Trace::Clock::now();
      BaselineScanFacts& f = *a.facts;
      bool unstuffed = true;
      if (a.raw) {
        // Chunks cut from the raw size; the move kernel fixes them, and the interval's end, from the real one.
        f.intervalStarts.assign({0, static_cast<uint32_t>(a.rawBytes)});
      } else {
        unstuffed = UnstuffScan(a.item->data, a.item->length, &f, host + a.dataAt, &a.dataBytes, &reason);
        if (unstuffed) std::memset(host + a.dataAt + a.dataBytes, 0, a.dataBound - a.dataBytes);
      }
      if (trace.on()) unstuffMs += Trace::Since(unstuffStart);
      if (!unstuffed) {
        HandBack(a.item, reason);
        continue;
      }
      const int image = static_cast<int>(kept.size());
      const size_t written = WriteChunks(a.facts->intervalStarts, image, chunkBits, chunks + chunkCountSoFar,
                                         chunkBound - chunkCountSoFar);
      if (written == 0) return Fail("E_INTERNAL", "kernel decode: the chunk list outgrew its bound");
      a.firstChunk = static_cast<int>(chunkCountSoFar);
      a.chunkCount = written;
      chunkCountSoFar += written;
      intervalOffset.push_back(intervalsAt + intervalsUsed * sizeof(uint32_t));
      std::memcpy(host + intervalOffset.back(), a.facts->intervalStarts.data(),
                  a.facts->intervalStarts.size() * sizeof(uint32_t));
      intervalsUsed += a.facts->intervalStarts.size();
      kept.push_back(std::move(a));
    }
    accepted_ = std::move(kept);
    if (accepted_.empty()) return Ok();
    const int images = static_cast<int>(accepted_.size());
    const int chunkCount = static_cast<int>(chunkCountSoFar);
    int32_t* imageChunks = reinterpret_cast<int32_t*>(host + imageChunksAt);
    for (int i = 0; i < images; ++i) imageChunks[i] = accepted_[i].firstChunk;
    imageChunks[images] = chunkCount;

    trace.Note("unstuffScan", unstuffMs);
    trace.Mark("unstuff");
    // The scans' descriptions (their device pointers come once the blocks are known).
    GpuScan* scans = reinterpret_cast<GpuScan*>(host + scansAt);
    for (int i = 0; i < images; ++i) {
      std::memset(&scans[i], 0, sizeof scans[i]);
      DescribeScan(*accepted_[i].facts, &scans[i]);
    }
    if (static_cast<int64_t>(chunkCount) * candidates > residentThreads) candidates = 0;
    // --- device blocks -----------------------------------------------------------------------------------
    size_t coefficientBytes = 0, planeBytes = 0;
    std::vector<size_t> planeAt;
    for (Accepted& a : accepted_) {
      const BaselineScanFacts& f = *a.facts;
      for (int c = 0; c < f.components; ++c) {
        const ScanComponentFacts& k = f.component[c];
        a.coefficientAt[c] = coefficientBytes;
        coefficientBytes += AlignUp(static_cast<size_t>(k.blocksPerRow) * k.blockRows * 64 * sizeof(int16_t));
      }
      size_t offset[3], pitch[3];
      planeAt.push_back(planeBytes);
      planeBytes += AlignUp(LayoutExactPlanes(a.grid, offset, pitch));
    }
    const size_t exitsAt = 0;
    const size_t usedAt = AlignUp(exitsAt + 2 * chunkCount * sizeof(HuffEntry));
    const size_t countsAt = AlignUp(usedAt + chunkCount * sizeof(HuffEntry));
    const size_t startsAt = AlignUp(countsAt + static_cast<size_t>(chunkCount) * kCountWords * sizeof(uint32_t));
    const size_t tilesAt = AlignUp(startsAt + static_cast<size_t>(chunkCount) * kStartWords * sizeof(uint32_t));
    const size_t changedAt =
        AlignUp(tilesAt + static_cast<size_t>(chunkCount / kChunkThreads) * kTileWordsPerTile * sizeof(uint32_t));
    const size_t statusAt = changedAt + kMaxSyncPasses * sizeof(uint32_t);
    const size_t candidatesAt = AlignUp(statusAt + images * sizeof(uint32_t));
    // Each chunk's candidates and its two decoded slots, links and taken slot (huffman.h).
    const size_t slots = candidates > 0 ? static_cast<size_t>(candidates) + 2 : 0;
    const size_t linksAt = AlignUp(candidatesAt + static_cast<size_t>(chunkCount) * slots * sizeof(HuffCandidate));
    const size_t takenAt = AlignUp(linksAt + static_cast<size_t>(chunkCount) * sizeof(uint64_t));
    const size_t midsAt = AlignUp(takenAt + static_cast<size_t>(chunkCount) * sizeof(uint32_t));
    const size_t stateBytes = candidates > 0 ? midsAt + static_cast<size_t>(chunkCount) * sizeof(HuffMid) : linksAt;
    DevicePool& pool = *engine_->pool();
    std::shared_ptr<DeviceAllocation> input, state, coefficients, planes;
    SlotScratch& scratch = slot_.kernelScratch;
    // The upload's blocks, then the raw data's region.
    const size_t rawAt = AlignUp(dataEnd);
    JK_TRY(scratch.Get(&pool, 0, rawAt + rawEnd, &input));
    JK_TRY(scratch.Get(&pool, 1, stateBytes, &state));
    JK_TRY(scratch.Get(&pool, 2, coefficientBytes, &coefficients));
    JK_TRY(scratch.Get(&pool, 3, planeBytes, &planes));
    uint8_t* device = input->data();

    trace.Mark("acquire");
    // The raw data straight from the caller's buffers, first: a copy from pageable memory waits for the stream's
    // earlier work, then the driver copies each buffer through its own staging while it uploads (the buffers live
    // until the call ends), and the DMA overlaps the rest of the host's preparation.
    for (const Accepted& a : accepted_) {
      if (!a.raw) continue;
      JK_CUDA(cudaMemcpyAsync(device + rawAt + a.dataAt, a.item->data + a.facts->entropyStart, a.rawBytes,
                              cudaMemcpyHostToDevice, slot_.kernelStream));
    }
    if (rawEnd > 0) trace.Mark("raw-upload");
    int16_t* quant = reinterpret_cast<int16_t*>(host + quantAt);
    RawScanJob* jobs = reinterpret_cast<RawScanJob*>(host + jobsAt);
    int jobCount = 0;
    uint32_t mostBound = 0;
    for (int i = 0; i < images; ++i) {
      Accepted& a = accepted_[i];
      const BaselineScanFacts& f = *a.facts;
      GpuScan& scan = scans[i];
      scan.data = device + a.dataAt;
      if (a.raw) {
        scan.data = device + rawAt + a.unstuffedAt;
        RawScanJob& job = jobs[jobCount++];
        job.raw = device + rawAt + a.dataAt;
        job.out = device + rawAt + a.unstuffedAt;
        job.tileCounts = reinterpret_cast<uint32_t*>(device + rawAt + a.tileCountsAt);
        job.status = reinterpret_cast<uint32_t*>(state->data() + statusAt) + i;
        job.chunks = reinterpret_cast<GpuChunk*>(device + chunksAt) + a.firstChunk;
        job.dataEnd = reinterpret_cast<uint32_t*>(device + intervalOffset[i]) + 1;
        job.rawBytes = static_cast<uint32_t>(a.rawBytes);
        job.outBound = static_cast<uint32_t>(a.dataBound);
        job.chunkCount = static_cast<uint32_t>(a.chunkCount);
        job.chunkBits = chunkBits;
        mostBound = std::max(mostBound, job.outBound);
      }
      scan.dataWords = static_cast<uint32_t>(a.dataBound / 4);
      scan.intervalStarts = reinterpret_cast<const uint32_t*>(device + intervalOffset[i]);
      scan.firstChunk = a.firstChunk;
      for (int c = 0; c < f.components; ++c) {
        scan.coefficients[c] = reinterpret_cast<int16_t*>(coefficients->data() + a.coefficientAt[c]);
        for (int k = 0; k < 64; ++k) quant[(i * 3 + c) * 64 + k] = static_cast<int16_t>(f.component[c].quant[k]);
      }
    }
    // Pixels: one IDCT and one image launch for every image of the call.
    ExactPixelsPlan plan;
    const int16_t* deviceQuant = reinterpret_cast<const int16_t*>(device + quantAt);
    for (int i = 0; i < images; ++i) {
      const DecodeItem* item = accepted_[i].item;
      JK_TRY(plan.Add(accepted_[i].grid, scans[i].coefficients, deviceQuant + i * 3 * 64,
                      planes->data() + planeAt[i], item->format, item->orientation, item->result->data(),
                      item->pitch, item->outHeight));
    }
    plan.Write(host + tablesAt);

    // --- upload, passes ----------------------------------------------------------------------------------
    cudaStream_t stream = slot_.kernelStream;
    trace.MarkPrepared(images, chunkCount);
    JK_CUDA(cudaMemcpyAsync(device, host, dataEnd, cudaMemcpyHostToDevice, stream));
    JK_CUDA(cudaMemsetAsync(state->data() + changedAt, 0, candidatesAt - changedAt, stream));
    // The decode pass writes only the coefficients the data codes (the rest of each block stays zero).
    JK_CUDA(cudaMemsetAsync(coefficients->data(), 0, coefficientBytes, stream));
    // After the status words are zeroed: the count kernel marks them.
    JK_CUDA(LaunchUnstuff(reinterpret_cast<const RawScanJob*>(device + jobsAt), jobCount, mostBound, stream));
    if (jobCount > 0) trace.Mark("gpu-unstuff");
    HuffmanCall call{};
    call.scans = reinterpret_cast<const GpuScan*>(device + scansAt);
    call.chunks = reinterpret_cast<const GpuChunk*>(device + chunksAt);
    call.chunkCount = chunkCount;
    call.chunkBits = chunkBits;
    call.leadBits =
        TunedBits("JPEGKIT_CUDA_LEAD_BITS", candidates > 0 ? kCandidateLeadBits : ChooseLeadBits(chunkBits));
    call.images = images;
    call.imageChunks = reinterpret_cast<const int32_t*>(device + imageChunksAt);
    uint8_t* s = state->data();
    call.exits[0] = reinterpret_cast<HuffEntry*>(s + exitsAt);
    call.exits[1] = call.exits[0] + chunkCount;
    call.used = reinterpret_cast<HuffEntry*>(s + usedAt);
    call.counts = reinterpret_cast<uint32_t*>(s + countsAt);
    call.starts = reinterpret_cast<uint32_t*>(s + startsAt);
    call.tiles = reinterpret_cast<uint32_t*>(s + tilesAt);
    call.changed = reinterpret_cast<uint32_t*>(s + changedAt);
    call.status = reinterpret_cast<uint32_t*>(s + statusAt);
    call.candidateCount = candidates;
    call.candidates = candidates > 0 ? reinterpret_cast<HuffCandidate*>(s + candidatesAt) : nullptr;
    call.links = candidates > 0 ? reinterpret_cast<uint64_t*>(s + linksAt) : nullptr;
    call.slots = candidates > 0 ? reinterpret_cast<uint32_t*>(s + takenAt) : nullptr;
    call.mids = candidates > 0 ? reinterpret_cast<HuffMid*>(s + midsAt) : nullptr;
    uint32_t* readback = reinterpret_cast<uint32_t*>(host + readbackAt);
    std::vector<bool> unclean(images, false);  // kUnclean seen in an earlier round of passes

    // Passes go in groups of kPassRound (rounds, with candidates: kRoundGroup) queued back to back, with no
    // readback between them: one after the settled one returns at once, and the starts and decode kernels find the
    // settled one themselves. A call still unsettled at the end of a group (high-quality data resynchronises
    // slowly) queues another.
    trace.Mark("upload");
    if (candidates > 0) {
      JK_CUDA(LaunchHuffmanCandidates(call, stream));
      trace.Mark("candidates");
    }
    // A call whose thread blocks fit on the GPU at once runs every pass (round), stopping at the settled one, and
    // the starts in one cooperative launch (JPEGKIT_CUDA_SYNC_LOOP=0 turns it off, to compare).
    bool looped = false;
    static const bool loopAllowed = [] {
      const char* v = std::getenv("JPEGKIT_CUDA_SYNC_LOOP");
      return v == nullptr || std::strcmp(v, "0") != 0;
    }();
    if (loopAllowed) {
      call.passes = kMaxSyncPasses;
      JK_CUDA(LaunchHuffmanSettle(call, stream, &looped));
      if (looped) trace.Mark("settle");
    }
    // Otherwise from pass 0 (without candidates) or round 0 (the first resolve step, after the candidates kernel).
    if (!looped) call.passes = 0;
    for (;;) {
      if (!looped) {
        const int from = call.passes;
        call.passes = std::min(kMaxSyncPasses, from + (candidates > 0 ? kRoundGroup : kPassRound));
        for (int pass = from; pass < call.passes; ++pass) {
          JK_CUDA(LaunchHuffmanSync(call, pass, stream));
          trace.Mark("pass", pass);
        }
        JK_CUDA(LaunchHuffmanStarts(call, stream));
        trace.Mark("starts");
      }
      JK_CUDA(LaunchHuffmanDecode(call, stream));
      trace.Mark("decode");
      JK_CUDA(cudaMemcpyAsync(readback, call.status, images * sizeof(uint32_t), cudaMemcpyDeviceToHost, stream));
      JK_TRY(plan.LaunchIdct(device + tablesAt, stream));
      trace.Mark("idct");
      JK_TRY(plan.LaunchImages(device + tablesAt, stream));
      trace.Mark("pixels");
      // Every pass ran in the cooperative launch and every item is ours: leave it running (see pending_).
      if (looped && pending_ != nullptr && rest_->empty() && progressive_.empty() && !trace.on()) {
        if (slot_.kernelDone == nullptr) JK_CUDA(cudaEventCreateWithFlags(&slot_.kernelDone, cudaEventDisableTiming));
        JK_CUDA(cudaEventRecord(slot_.kernelDone, stream));
        JK_CUDA(cudaStreamWaitEvent(slot_.stream, slot_.kernelDone, 0));
        for (Accepted& a : accepted_) {
          a.item->route = "kernels";
          pending_->items.push_back(a.item);
        }
        pending_->status = readback;
        pending_->blocks = {input, state, coefficients, planes};
        pending_->active = true;
        return Ok();
      }
      JK_CUDA(cudaStreamSynchronize(stream));
      if (trace.on()) NoteChanged(call);
      // Unsettled marks every image of the call, and leaves the coefficient planes untouched.
      if ((readback[0] & kUnsettled) == 0 || call.passes == kMaxSyncPasses) break;
      for (int i = 0; i < images; ++i) unclean[i] = unclean[i] || (readback[i] & kUnclean) != 0;
      JK_CUDA(cudaMemsetAsync(call.status, 0, images * sizeof(uint32_t), stream));
    }
    // Data the unstuffing kernels found a marker in goes through this decoder again, unstuffed on the host.
    std::vector<DecodeItem*> again;
    for (int i = 0; i < images; ++i) {
      Accepted& a = accepted_[i];
      if (unclean[i] || (readback[i] & kUnclean) != 0) {
        a.item->hostUnstuff = true;
        again.push_back(a.item);
      } else if ((readback[i] & kUnsettled) != 0) {
        HandBack(a.item, "the GPU Huffman decoder's chunks did not synchronise");
      } else if (readback[i] != 0) {
        HandBack(a.item, "data libjpeg would warn about (the GPU Huffman decoder flagged it)");
      } else {
        a.item->route = "kernels";
      }
    }
    if (!again.empty()) KernelDecoder(engine_, slot_, rest_, reasons_, nullptr).Run(again);
    return Ok();
  }


  // Tracing: how many chunk exits each sync pass changed, up to the settled pass ("changed 812,97,3,0").
  void NoteChanged(const HuffmanCall& call) {
    uint32_t changed[kMaxSyncPasses] = {};
    if (cudaMemcpy(changed, call.changed, sizeof changed, cudaMemcpyDeviceToHost) != cudaSuccess) return;
    std::string list;
    for (int p = call.candidateCount > 0 ? 0 : 1; p < call.passes; ++p) {
      list += (list.empty() ? "" : ",") + std::to_string(changed[p]);
      if (changed[p] == 0) break;
    }
    trace_.NoteText("changed " + list);
  }

  Engine* engine_;
  DecodeSlot& slot_;
  std::vector<DecodeItem*>* rest_;
  std::vector<std::string>* reasons_;
  PendingKernelDecode* pending_;
  std::vector<Accepted> accepted_;
  std::vector<Progressive> progressive_;
  Trace trace_;
};

}  // namespace

void DecodeWithKernels(Engine* engine, DecodeSlot& slot, const std::vector<DecodeItem*>& items,
                       std::vector<DecodeItem*>* rest, std::vector<std::string>* reasons, PendingKernelDecode* pending) {
  KernelDecoder(engine, slot, rest, reasons, pending).Run(items);
}

}  // namespace jpegkit
