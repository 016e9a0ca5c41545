// Host-only test harness of the exact decode mode: the same __host__ __device__ functions the kernels run
// (exact-math.cuh), called from host code, so exactness against djpeg is checked on machines without a GPU.
// Built by scripts/build-exact-host-test.sh with -DJPEGKIT_EXACT_HOST_TEST; in the addon build (every .cu
// under src/kernels) this file compiles to nothing.
//
//   exact-host-test DUMP OUT.pnm [--gray]
//   exact-host-test --jpeg FILE.jpg OUT.pnm [--gray] [--chunk-bits N] [--lead-bits N] [--candidates K]
//                   [--threads N] [--coefficients OUT.bin]
//   exact-host-test --jpeg-many DIR FILE.jpg…   (each to DIR/<index>.pnm, with candidates; prints "index status")
//
// With --jpeg the coefficients come from our GPU Huffman decoder's arithmetic (huffman-math.cuh: sync passes,
// starts, decode, one chunk at a time as the kernels run them; with --candidates, pass 0's candidates and their
// resolution as well) on the scan src/baseline-scan.cc reads; exit
// status 4 when the scan is not one that decoder takes (the reason on stderr), 5 when it flags the data. Progressive
// files instead go through the CPU decoder the kernels route uses for them (src/progressive-scan.cc; --threads N
// of them, default as the addon chooses). --coefficients writes the coefficients decoded as a JKCOEF1 dump.
//
// DUMP (little-endian, written by lib/exact.test.ts from @jpegkit/wasm's readCoefficients):
//   "JKCOEF1\0", int32 width, height, components, maxH, maxV,
//   per component: int32 h, v, blocksPerRow, blockRows; uint16 quant[64] (natural order);
//                  int16 coefficients[blocksPerRow · blockRows · 64] (block rows, 64 per block, natural order).
// OUT: binary PPM (3 components) or PGM (1 component, or --gray: component 0 alone, as djpeg -grayscale).
#ifdef JPEGKIT_EXACT_HOST_TEST

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "baseline-scan.h"
#include "exact-math.cuh"
#include "exact.h"
#include "host-test-io.h"
#include "huffman-math.cuh"
#include "progressive-scan.h"
#include "unstuff.cuh"

namespace {

struct Reader {
  const std::vector<uint8_t>& bytes;
  size_t at = 0;
  bool ok = true;
  template <typename T>
  T Get() {
    T value{};
    if (at + sizeof(T) > bytes.size()) {
      ok = false;
      return value;
    }
    std::memcpy(&value, bytes.data() + at, sizeof(T));
    at += sizeof(T);
    return value;
  }
};

int Fail(const std::string& message, int status = 1) {
  std::fprintf(stderr, "exact-host-test: %s\n", message.c_str());
  return status;
}

struct Component {
  int h = 1, v = 1, blocksPerRow = 0, blockRows = 0;
  int16_t quant[64] = {};  // ISLOW_MULT_TYPE
  std::vector<int16_t> coefficients;
};

struct Coefficients {
  int width = 0, height = 0, maxH = 1, maxV = 1;
  std::vector<Component> components;
};

// A JKCOEF1 dump (see above).
int FromDump(const std::vector<uint8_t>& bytes, Coefficients* out) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), "JKCOEF1", 8) != 0) return Fail("not a JKCOEF1 dump");
  Reader in{bytes, 8};
  out->width = in.Get<int32_t>();
  out->height = in.Get<int32_t>();
  const int count = in.Get<int32_t>();
  out->maxH = in.Get<int32_t>();
  out->maxV = in.Get<int32_t>();
  if (!in.ok || out->width <= 0 || out->height <= 0 || (count != 1 && count != 3) || out->maxH <= 0 ||
      out->maxV <= 0) {
    return Fail("bad frame header");
  }
  out->components.resize(count);
  for (Component& c : out->components) {
    c.h = in.Get<int32_t>();
    c.v = in.Get<int32_t>();
    c.blocksPerRow = in.Get<int32_t>();
    c.blockRows = in.Get<int32_t>();
    for (int i = 0; i < 64; ++i) c.quant[i] = static_cast<int16_t>(in.Get<uint16_t>());
    if (!in.ok || c.blocksPerRow <= 0 || c.blockRows <= 0) return Fail("bad component header");
    const size_t values = static_cast<size_t>(c.blocksPerRow) * c.blockRows * 64;
    if (in.at + values * 2 > bytes.size()) return Fail("dump is truncated");
    c.coefficients.resize(values);
    std::memcpy(c.coefficients.data(), bytes.data() + in.at, values * 2);
    in.at += values * 2;
  }
  return 0;
}

// A component's grid and table, its coefficients zeroed.
void SetComponent(Component* component, int h, int v, int blocksPerRow, int blockRows, const uint16_t quant[64]) {
  component->h = h;
  component->v = v;
  component->blocksPerRow = blocksPerRow;
  component->blockRows = blockRows;
  for (int i = 0; i < 64; ++i) component->quant[i] = static_cast<int16_t>(quant[i]);
  component->coefficients.assign(static_cast<size_t>(blocksPerRow) * blockRows * 64, int16_t{0});
}

// Threads for the progressive decoder (--threads N; 0: ProgressiveThreads decides).
int progressiveThreads = 0;

// A progressive JPEG's coefficients from the CPU decoder the kernels route uses for them.
int FromProgressive(const jpegkit::ProgressiveFrame& frame, Coefficients* out) {
  using namespace jpegkit;
  out->width = frame.width;
  out->height = frame.height;
  out->maxH = frame.maxH;
  out->maxV = frame.maxV;
  out->components.resize(frame.components);
  // The decoder's layout (AC in zigzag order, the DC apart), made natural order as the GPU does
  // (LaunchNaturalFromZigzag), by the same function.
  std::vector<int16_t> zigzag[3], dc[3];
  int16_t* blocks[3] = {};
  int16_t* dcs[3] = {};
  for (int c = 0; c < frame.components; ++c) {
    zigzag[c].assign(frame.Values(c), int16_t{0x5a5a});  // not zeroed: the decoder writes every value
    dc[c].assign(frame.Blocks(c), int16_t{0x5a5a});
    blocks[c] = zigzag[c].data();
    dcs[c] = dc[c].data();
  }
  for (int c = 0; c < frame.components; ++c) {
    const ComponentGrid& g = frame.component[c];
    SetComponent(&out->components[c], g.h, g.v, g.blocksPerRow, g.blockRows, frame.quant[c]);
  }
  std::string reason;
  const int threads = progressiveThreads > 0 ? progressiveThreads : ProgressiveThreads(frame);
  const auto start = std::chrono::steady_clock::now();
  if (!DecodeProgressive(frame, blocks, dcs, threads, &reason)) {
    return Fail("the decoder flagged the data: " + reason, 5);
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (int c = 0; c < frame.components; ++c) {
    int16_t* natural = out->components[c].coefficients.data();
    for (size_t b = 0; b < frame.Blocks(c); ++b) {
      for (int n = 0; n < 64; ++n) {
        natural[b * 64 + n] = exact::NaturalCoefficient(blocks[c] + b * 64, dcs[c][b], n, kZigzagOf);
      }
    }
  }
  std::fprintf(stderr, "exact-host-test: progressive, %zu scans on %d threads, decoded in %.2f ms\n",
               frame.scans.size(), threads, ms);
  return 0;
}

// Writes the coefficients as a JKCOEF1 dump (see above); false when the file cannot be written.
bool WriteDump(const Coefficients& in, const char* path) {
  FILE* out = std::fopen(path, "wb");
  if (out == nullptr) return false;
  const auto put = [out](const void* data, size_t size) { std::fwrite(data, 1, size, out); };
  put("JKCOEF1", 8);
  const int32_t head[5] = {in.width, in.height, static_cast<int32_t>(in.components.size()), in.maxH, in.maxV};
  put(head, sizeof head);
  for (const Component& c : in.components) {
    const int32_t grid[4] = {c.h, c.v, c.blocksPerRow, c.blockRows};
    put(grid, sizeof grid);
    uint16_t quant[64];
    for (int i = 0; i < 64; ++i) quant[i] = static_cast<uint16_t>(c.quant[i]);
    put(quant, sizeof quant);
    put(c.coefficients.data(), c.coefficients.size() * sizeof(int16_t));
  }
  return std::fclose(out) == 0;
}

// The kernels route's way of unstuffing (RawEntropySize on the host, then the count and move kernels' pieces and
// tiles; the tiles in reverse order, as any order must do) into `out` (`outBound` bytes, zeros after the data).
// 0 when RawEntropySize does not take the file, -1 when the count kernel would mark it kUnclean (the host
// unstuffs it then), else 1 with `*dataBytes` (the move kernel's) and `*rawOut` set.
int UnstuffOnGpusWay(const std::vector<uint8_t>& bytes, size_t start, size_t outBound, std::vector<uint32_t>* out,
                     size_t* dataBytes, size_t* rawOut = nullptr) {
  using namespace jpegkit;
  size_t rawBytes = 0, ffBytes = 0;
  if (!RawEntropySize(bytes.data(), bytes.size(), start, &rawBytes)) return 0;
  for (size_t j = start; j < start + rawBytes; ++j) ffBytes += bytes[j] == 0xff ? 1 : 0;
  std::vector<uint8_t> raw(rawBytes + kUnstuffSlack, 0x5a);  // as uploaded: readable past the end, not zeroed
  std::memcpy(raw.data(), bytes.data() + start, rawBytes);
  RawScanJob job{};
  job.raw = raw.data();
  job.out = reinterpret_cast<uint8_t*>(out->data());
  job.rawBytes = static_cast<uint32_t>(rawBytes);
  job.outBound = static_cast<uint32_t>(outBound);
  const uint32_t tiles = UnstuffTiles(job.outBound);
  // The count kernel: each tile's dropped bytes, and the verdict.
  std::vector<uint32_t> tileCounts(tiles, 0);
  bool unclean = false;
  for (uint32_t t = 0; t < tiles; ++t) {
    for (uint32_t k = 0; k < kUnstuffThreads; ++k) {
      const unstuff::Piece piece = unstuff::LoadPiece(job, t * kUnstuffThreads + k);
      unclean = unclean || unstuff::Unclean(piece);
      tileCounts[t] += static_cast<uint32_t>(__builtin_popcount(unstuff::DroppedBits(piece)));
    }
  }
  if (unclean) return -1;
  uint32_t dropped = 0;
  for (uint32_t count : tileCounts) dropped += count;
  if (dropped != ffBytes) std::exit(Fail("the pieces drop another count of bytes than the data's 0xFF count", 6));
  const uint32_t unstuffed = job.rawBytes - dropped;
  // The move kernel, tile by tile.
  std::fill(out->begin(), out->end(), 0xa5a5a5a5u);  // every byte must be written
  for (uint32_t t = tiles; t-- > 0;) {
    uint32_t before = 0;
    for (uint32_t e = 0; e < t; ++e) before += tileCounts[e];
    std::vector<uint8_t> packed(kUnstuffTileBytes);
    uint32_t total = 0;
    for (uint32_t k = 0; k < kUnstuffThreads; ++k) {
      total += unstuff::KeepBytes(unstuff::LoadPiece(job, t * kUnstuffThreads + k), packed.data() + total);
    }
    const uint32_t tileStart = t * kUnstuffTileBytes;
    std::memcpy(job.out + tileStart - before, packed.data(), total);
    const uint32_t tileEnd = std::min<uint32_t>(tileStart + kUnstuffTileBytes, job.outBound);
    for (uint32_t o = std::max(tileStart, unstuffed); o < tileEnd; ++o) job.out[o] = 0;
  }
  *dataBytes = unstuffed;
  if (rawOut != nullptr) *rawOut = rawBytes;
  return 1;
}

// --unstuff-fuzz: random entropy-coded data (0xFF often, followed by stuffing, or now and then by a restart marker,
// a fill byte or another marker; ending with EOI or not) both ways. Where the GPU's way takes the data and finds
// every 0xFF stuffing, UnstuffEntropy must read it to the EOI that ends the file in one interval, to the same
// bytes; and the GPU's way must find every 0xFF stuffing exactly when each is followed by 0x00 (checked here
// byte by byte). Prints how many it took.
int UnstuffFuzz(uint32_t seed, int cases) {
  using namespace jpegkit;
  uint64_t state = seed * 0x9e3779b97f4a7c15ull + 1;
  const auto next = [&state](uint32_t below) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<uint32_t>(state % below);
  };
  int taken = 0, clean = 0;
  for (int t = 0; t < cases; ++t) {
    std::vector<uint8_t> bytes = {0xff, 0xd8, 0x12, 0x34};
    const size_t start = bytes.size();
    const uint32_t length = next(4) == 0 ? next(20000) : next(3000);  // up to five tiles
    const uint32_t ffOdds = 2 + next(300);
    const uint32_t otherOdds = 1 + next(4000);  // per 0xFF: odds against something other than stuffing
    for (uint32_t i = 0; i < length; ++i) {
      if (next(ffOdds) != 0) {
        bytes.push_back(static_cast<uint8_t>(next(255)));  // 0x00–0xFE
        continue;
      }
      bytes.push_back(0xff);
      if (next(otherOdds) != 0) bytes.push_back(0x00);
      else if (next(2) == 0) bytes.push_back(static_cast<uint8_t>(0xd0 + next(8)));
      else bytes.push_back(static_cast<uint8_t>(next(256)));
    }
    if (next(10) < 8) {
      bytes.push_back(0xff);
      bytes.push_back(0xd9);
    }
    std::vector<uint32_t> words(bytes.size() / 4 + 4, 0), raw(words.size(), 0);
    std::vector<uint32_t> starts;
    size_t outBytes = 0, markerAt = 0, dataBytes = 0;
    int marker = -1;
    std::string reason;
    const bool host = UnstuffEntropy(bytes.data(), bytes.size(), start, reinterpret_cast<uint8_t*>(words.data()),
                                     &outBytes, &starts, &markerAt, &marker, &reason);
    const int gpu = UnstuffOnGpusWay(bytes, start, words.size() * 4, &raw, &dataBytes);
    if (gpu == 0) continue;
    ++taken;
    const size_t end = bytes.size() - 2;
    bool stuffingOnly = true;
    for (size_t j = start; j < end; ++j) {
      if (bytes[j] == 0xff && (j + 1 >= end || bytes[j + 1] != 0x00)) stuffingOnly = false;
    }
    if ((gpu == 1) != stuffingOnly) {
      return Fail("case " + std::to_string(t) + ": the count kernel's verdict on the 0xFF bytes is wrong", 6);
    }
    if (gpu < 0) continue;
    ++clean;
    if (!host || marker != 0xd9 || markerAt != end || starts.size() != 2 || outBytes != dataBytes || raw != words) {
      return Fail("case " + std::to_string(t) + ": the GPU's way unstuffs otherwise than UnstuffEntropy", 6);
    }
  }
  std::printf("unstuff-fuzz: %d cases, %d taken, %d of them all stuffing, all equal\n", cases, taken, clean);
  return 0;
}

// Our GPU Huffman decoder's passes, run chunk by chunk on the host exactly as the kernels run them (each pass
// reads only the pass before's exits, so the order within a pass does not matter).
int FromJpeg(const std::vector<uint8_t>& bytes, int chunkBits, int leadBits, int candidates, Coefficients* out) {
  using namespace jpegkit;
  BaselineScanFacts facts;
  std::string reason;
  if (!ParseBaselineScan(bytes.data(), bytes.size(), &facts, &reason)) {
    // Progressive files go to the CPU decoder (src/progressive-scan.cc), as the kernels route sends them.
    ProgressiveFrame frame;
    std::string progressiveReason;
    if (ParseProgressive(bytes.data(), bytes.size(), &frame, &progressiveReason)) return FromProgressive(frame, out);
    return Fail("refused: " + (reason.find("0xc2") != std::string::npos ? progressiveReason : reason), 4);
  }
  std::vector<uint32_t> data(bytes.size() / 4 + 4, 0);  // words: aligned, with room after the end
  size_t dataBytes = 0;
  if (!UnstuffScan(bytes.data(), bytes.size(), &facts, reinterpret_cast<uint8_t*>(data.data()), &dataBytes,
                   &reason)) {
    return Fail("refused: " + reason, 4);
  }
  // Where the kernels route unstuffs on the GPU, the decode reads what the unstuffing kernel's pieces make of the
  // raw copy, which must be the host's bytes.
  std::vector<uint32_t> raw(data.size(), 0);
  size_t rawDataBytes = 0, rawBytes = 0;
  const bool onGpu = facts.restartInterval == 0 &&
                     UnstuffOnGpusWay(bytes, facts.entropyStart, data.size() * 4, &raw, &rawDataBytes, &rawBytes) == 1;
  if (onGpu) {
    if (raw != data || rawDataBytes != dataBytes) return Fail("the unstuffing kernels' data differs from UnstuffEntropy's", 6);
    data.swap(raw);
  }
  out->width = facts.width;
  out->height = facts.height;
  out->maxH = facts.maxH;
  out->maxV = facts.maxV;
  out->components.resize(facts.components);
  GpuScan scan{};
  DescribeScan(facts, &scan);
  scan.data = reinterpret_cast<const uint8_t*>(data.data());
  scan.dataWords = static_cast<uint32_t>(data.size());
  scan.intervalStarts = facts.intervalStarts.data();
  for (int c = 0; c < facts.components; ++c) {
    Component& component = out->components[c];
    const ScanComponentFacts& f = facts.component[c];
    // Zeroed, as the call zeroes the kernels' planes: the decode pass writes only the values the data codes.
    SetComponent(&component, f.h, f.v, f.blocksPerRow, f.blockRows, f.quant);
    scan.coefficients[c] = component.coefficients.data();
  }
  if (chunkBits <= 0) chunkBits = ChooseChunkBits(static_cast<uint64_t>(dataBytes) * 8);
  if (leadBits < 0) leadBits = ChooseLeadBits(chunkBits);
  std::vector<GpuChunk> chunks(bytes.size() * 8 / chunkBits + facts.intervalStarts.size() + kChunkThreads);
  if (onGpu) {
    // As the kernels route cuts them: from the raw size, then fixed by the move kernel from the unstuffed size.
    chunks.resize(WriteChunks({0, static_cast<uint32_t>(rawBytes)}, 0, chunkBits, chunks.data(), chunks.size()));
    for (GpuChunk& chunk : chunks) unstuff::FixChunk(chunk, static_cast<uint32_t>(dataBytes), chunkBits);
  } else {
    chunks.resize(WriteChunks(facts.intervalStarts, 0, chunkBits, chunks.data(), chunks.size()));
  }
  const int count = static_cast<int>(chunks.size());
  std::vector<HuffEntry> exits0(count), exits1(count), used(count);
  std::vector<uint32_t> counts(static_cast<size_t>(count) * kCountWords), starts(static_cast<size_t>(count) * kStartWords);
  uint32_t changed[kMaxSyncPasses] = {}, status = 0;
  int32_t imageChunks[2] = {0, count};
  HuffmanCall call{};
  call.scans = &scan;
  call.chunks = chunks.data();
  call.chunkCount = count;
  call.chunkBits = chunkBits;
  call.leadBits = leadBits;
  call.images = 1;
  call.imageChunks = imageChunks;
  call.exits[0] = exits0.data();
  call.exits[1] = exits1.data();
  call.used = used.data();
  call.counts = counts.data();
  call.starts = starts.data();
  call.changed = changed;
  call.status = &status;
  // Pass 0 with candidates (--candidates K): every candidate of every chunk, as the candidates kernel runs them,
  // then the rounds (huffman.h); without, the sync passes. As the kernels run them, one chunk at a time.
  if (candidates > huff::kMaxCandidates) candidates = huff::kMaxCandidates;
  std::vector<HuffCandidate> candidateRecords(static_cast<size_t>(count) * (candidates > 0 ? candidates + 2 : 0));
  std::vector<uint64_t> links(count);
  std::vector<uint32_t> taken(count);
  std::vector<HuffMid> mids(count);
  call.candidateCount = candidates > 0 ? candidates : 0;
  call.candidates = candidateRecords.data();
  call.links = links.data();
  call.slots = taken.data();
  call.mids = candidates > 0 ? mids.data() : nullptr;
  call.passes = kMaxSyncPasses;
  int redone = 0;
  if (candidates > 0) {
    for (int j = 0; j < candidates; ++j) {
      for (int i = 0; i < count; ++i) {
        if (j & 1) huff::CandidateAt<true>(call, scan, i, j);
        else huff::CandidateAt<false>(call, scan, i, j);
      }
    }
    for (int round = 0; round < call.passes && huff::RoundNeeded(call, round); ++round) {
      if (round > 0) {
        // Which chunks decode, and from where, before any of them does (the kernels' decode step).
        std::vector<char> decode(count);
        std::vector<HuffEntry> entries(count);
        for (int i = 0; i < count; ++i) decode[i] = huff::RoundNeedsDecode(call, i, &entries[i]);
        for (int i = 0; i < count; ++i) {
          if (!decode[i]) continue;
          if (i & 1) huff::DecodeSlotAt<true>(call, scan, i, entries[i]);
          else huff::DecodeSlotAt<false>(call, scan, i, entries[i]);
          ++redone;
        }
      }
      // Each chunk's slot by composing the links from its interval's first chunk (the resolve step's segmented
      // scan, in order).
      for (int i = 0; i < count; ++i) links[i] = huff::LinkOf(call, i);
      huff::CandidateLink prefix = huff::kIdentityLink;
      for (int i = 0; i < count; ++i) {
        if (chunks[i].image < 0) continue;
        const uint32_t to = chunks[i].place == 0 ? 0u : static_cast<uint32_t>(prefix & 0xffu);
        huff::TakeSlot(call, i, to);
        if ((to & huff::kMissBit) != 0) ++changed[round];
        prefix = chunks[i].place == 0 ? links[i] : huff::ThenLink(prefix, links[i]);
      }
    }
    for (int i = 0; i < count; ++i) huff::UseTakenSlot(call, i);
  } else {
    // A pass runs while the one before changed an exit; a chunk whose entry did not change only copies its exit.
    for (int pass = 0; pass < call.passes && huff::PassNeeded(call, pass); ++pass) {
      for (int i = 0; i < count; ++i) {
        if (pass > 0 && !huff::SyncNeedsDecode(call, i, pass)) continue;
        // Both ways of keeping the DC sums (the kernels use each), alternating by chunk.
        if (i & 1) huff::SyncAt<true>(call, scan, i, pass);
        else huff::SyncAt<false>(call, scan, i, pass);
        if (pass > 0) ++redone;
      }
    }
  }
  const int buffer = huff::SettledExits(call);
  if (buffer < 0) return Fail("the chunks did not synchronise", 5);
  // Starts: segmented exclusive sums within each interval (what the starts kernel does with block scans).
  uint32_t blocks = 0, dc[4] = {0, 0, 0, 0};
  for (int i = 0; i < count; ++i) {
    const GpuChunk& chunk = chunks[i];
    if (chunk.image < 0) continue;
    if (chunk.place == 0) {
      blocks = 0;
      dc[0] = dc[1] = dc[2] = dc[3] = 0;
    }
    const uint32_t first = static_cast<uint32_t>(chunk.interval) * scan.intervalBlocks + blocks;
    starts[static_cast<size_t>(i) * kStartWords] = first;
    for (int c = 0; c < 4; ++c) starts[static_cast<size_t>(i) * kStartWords + 1 + c] = dc[c];
    const uint32_t* own = counts.data() + static_cast<size_t>(i) * kCountWords;
    for (int p = 0; p < scan.blocksInMcu && p < kMaxMcuBlocks; ++p) {
      dc[scan.mcuComponent[(first + p) % scan.blocksInMcu]] += own[1 + p];
    }
    blocks += own[0];
  }
  // Both halves of each chunk where the call keeps mids (the decode kernel's two threads per chunk).
  for (int i = 0; i < count; ++i) {
    for (int half = 0; half < (candidates > 0 ? 2 : 1); ++half) {
      huff::DecodeAt(call, scan, i, buffer, huff::kNatural, half);
    }
  }
  if (status != 0) return Fail("the decoder flagged the data (libjpeg would warn)", 5);
  std::string passChanges;
  int settled = 0;  // the pass (round) that settled
  for (int p = candidates > 0 ? 0 : 1; p < call.passes; ++p) {
    passChanges += (passChanges.empty() ? "" : ",") + std::to_string(changed[p]);
    if (changed[p] == 0) {
      settled = p;
      break;
    }
  }
  std::fprintf(stderr,
               "exact-host-test: %d chunks of %d bits (lead %d, %d candidates), settled after %s %d (changed %s), "
               "%d chunks redone, unstuffed %s\n",
               count, chunkBits, leadBits, candidates, candidates > 0 ? "round" : "pass", settled, passChanges.c_str(),
               redone, onGpu ? "the GPU's way" : "on the host");
  return 0;
}


// One input to one PNM: 0, or the failure's exit status.
int Convert(const char* inputPath, const char* outPath, bool jpeg, bool grayOut, int chunkBits, int leadBits,
            int candidates, const char* dumpPath = nullptr) {
  using namespace jpegkit;
  std::vector<uint8_t> bytes;
  if (!jpegkit::hosttest::ReadFileBytes(inputPath, &bytes)) return Fail(std::string("cannot read ") + inputPath);
  Coefficients input;
  const int status = jpeg ? FromJpeg(bytes, chunkBits, leadBits, candidates, &input) : FromDump(bytes, &input);
  if (status != 0) return status;
  if (dumpPath != nullptr && !WriteDump(input, dumpPath)) return Fail(std::string("cannot write ") + dumpPath);
  const int width = input.width, height = input.height, maxH = input.maxH, maxV = input.maxV;
  const int count = static_cast<int>(input.components.size());

  std::vector<std::vector<uint8_t>> planes(count);
  ExactFrame frame{};
  frame.width = width;
  frame.height = height;
  frame.outPlanes = count == 1 || grayOut ? 1 : 3;
  for (int c = 0; c < count; ++c) {
    const Component& component = input.components[c];
    const int h = component.h, v = component.v, blocksPerRow = component.blocksPerRow;
    const int blockRows = component.blockRows;
    const int64_t pitch = static_cast<int64_t>(blocksPerRow) * 8;
    planes[c].assign(static_cast<size_t>(pitch) * blockRows * 8, 0);
    for (int row = 0; row < blockRows; ++row) {
      for (int col = 0; col < blocksPerRow; ++col) {
        exact::IdctIslowBlock(component.coefficients.data() + (static_cast<size_t>(row) * blocksPerRow + col) * 64,
                              component.quant, planes[c].data() + row * 8 * pitch + col * 8, pitch);
      }
    }
    ExactPlane& plane = frame.planes[c];
    plane.data = planes[c].data();
    plane.pitch = pitch;
    plane.widthIn = static_cast<int>((static_cast<int64_t>(width) * h + maxH - 1) / maxH);
    plane.heightIn = static_cast<int>((static_cast<int64_t>(height) * v + maxV - 1) / maxV);
    std::string reason;
    if (!PlanUpsample(h, v, maxH, maxV, plane.widthIn, &plane, &reason)) return Fail(reason);
    if (plane.widthIn > blocksPerRow * 8 || plane.heightIn > blockRows * 8) return Fail("plane smaller than the frame");
  }

  // Display pixels straight into the PNM's interleaved layout, as the image kernel writes a result.
  const int channels = frame.outPlanes;
  std::vector<uint8_t> interleaved(static_cast<size_t>(width) * height * channels);
  ExactImageJob job{};
  job.frame = frame;
  job.out.base = interleaved.data();
  job.out.rowPitch = static_cast<int64_t>(width) * channels;
  job.out.step = channels;
  job.out.channels = channels;
  for (int c = 0; c < 4; ++c) {
    job.out.offset[c] = c;
    job.source[c] = c < channels ? c : -1;
  }
  job.orientation = 1;
  job.outWidth = width;
  job.outHeight = height;
  // As the image kernel takes an upright image's rows: runs of four pixels (ExactValues4), then pixel by pixel.
  for (int y = 0; y < height; ++y) {
    int x = 0;
    for (; x + 4 <= width; x += 4) {
      uint8_t values[4][3];
      exact::ExactValues4(job.frame, x, y, values);
      for (int k = 0; k < 4; ++k) exact::WriteImagePixel(job, x + k, y, values[k]);
    }
    for (; x < width; ++x) exact::ExactImagePixel(job, x, y);
  }

  FILE* out = std::fopen(outPath, "wb");
  if (out == nullptr) return Fail(std::string("cannot write ") + outPath);
  std::fprintf(out, "P%d\n%d %d\n255\n", channels == 1 ? 5 : 6, width, height);
  const bool written = std::fwrite(interleaved.data(), 1, interleaved.size(), out) == interleaved.size();
  return std::fclose(out) == 0 && written ? 0 : Fail("write failed");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--unstuff-fuzz") == 0) {
    return UnstuffFuzz(static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 0)), std::atoi(argv[3]));
  }
  if (argc > 2 && std::strcmp(argv[1], "--jpeg-many") == 0) {
    // --jpeg-many OUTDIR FILE...: each FILE to OUTDIR/<index>.pnm; prints "<index> <status>" per file.
    // Progressive files on three threads (their scans one block row behind another).
    progressiveThreads = 3;
    for (int i = 3; i < argc; ++i) {
      const std::string out = std::string(argv[2]) + "/" + std::to_string(i - 3) + ".pnm";
      std::printf("%d %d\n", i - 3, Convert(argv[i], out.c_str(), true, false, 0, -1, jpegkit::huff::kMaxCandidates));
    }
    return 0;
  }
  const bool jpeg = argc > 1 && std::strcmp(argv[1], "--jpeg") == 0;
  const int first = jpeg ? 2 : 1;
  if (argc < first + 2) {
    return Fail(
        "usage: exact-host-test [--jpeg] INPUT OUT.pnm [--gray] [--chunk-bits N] [--lead-bits N] [--candidates K] "
        "[--threads N] [--coefficients OUT.bin]");
  }
  bool grayOut = false;
  int chunkBits = 0, leadBits = -1, candidates = 0;
  const char* dumpPath = nullptr;
  for (int i = first + 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--gray") == 0) grayOut = true;
    else if (std::strcmp(argv[i], "--chunk-bits") == 0 && i + 1 < argc) chunkBits = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--lead-bits") == 0 && i + 1 < argc) leadBits = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--candidates") == 0 && i + 1 < argc) candidates = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) progressiveThreads = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--coefficients") == 0 && i + 1 < argc) dumpPath = argv[++i];
    else return Fail(std::string("unknown argument ") + argv[i]);
  }
  return Convert(argv[first], argv[first + 1], jpeg, grayOut, chunkBits, leadBits, candidates, dumpPath);
}

#endif  // JPEGKIT_EXACT_HOST_TEST
