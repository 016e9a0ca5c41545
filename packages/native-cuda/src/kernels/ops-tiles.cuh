// Resize and sharpen in one kernel each, a thread block per tile of the output (ops-resize.cu,
// ops-sharpen.cu): the tile's source pixels are staged in shared memory (a pixel's channels packed in one word),
// the horizontal pass writes its float32 rows to shared memory, and the vertical pass reads them there. The sums
// are the two-pass kernels' own (ops-math.cuh), term for term and in the same order, so the pixels are the same;
// what goes is the float intermediate's trip through global memory and a launch, and most of the loads (one word
// per tap instead of a byte per channel and tap). Each phase is a function of (tile, thread) that the kernels call
// between barriers and the CPU harness (ops-host-test.cu) calls in loops over the block's threads. H200, 1080p →
// 960×540 lanczos3 (rgb): resize 50 → 32 µs; sharpen σ 0.95 of the result 29 → 16 µs.
//
// Resize takes this path without linear light or alpha (premultiplying) and where every tile's source window fits
// (PlanResizeTiles: large reductions do not); sharpen for radii up to kSharpenTileRadius. The rest keep the two
// passes.
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#include "ops-math.cuh"

namespace jpegkit {
namespace opsmath {

// Tiles are 32 columns wide, a thread per column, each thread taking every (threads / 32)th row. Resize tiles are
// 32 rows high with 512 threads (an H200, 1080p → 960×540 lanczos3: 16 rows with 256 threads recomputed a third
// more intermediate rows — the window's margins — and ran slower); sharpen tiles 16 rows with 256 threads.
constexpr int kTileW = 32;
constexpr int kResizeTileH = 32, kResizeThreads = 512;
constexpr int kSharpenTileH = 16, kSharpenThreads = 256;
constexpr int kSharpenTileRadius = 8;
// Shared memory a resize tile may take (the kernel opts in past the default 48 KiB).
constexpr int kResizeTileShared = 96 * 1024;

JK_HD double PackedChannel(uint32_t packed, int c) { return ByteToDouble((packed >> (8 * c)) & 0xffu); }

// A horizontal pass's sums for one output from shared memory: `taps` packed pixels from `row`, weight k at
// weights[k * weightStride], every channel but `alpha`, each sum rounded to float32 into out[c] (the kernels'
// intermediate, `kC` floats a pixel).
template <int kC>
JK_HD void PackedTapSums(const uint32_t* row, const double* weights, int weightStride, int taps, int alpha,
                         float* out) {
  double sum[kMaxChannels] = {0, 0, 0, 0};
  for (int k = 0; k < taps; ++k) {
    const double wk = weights[k * weightStride];
    const uint32_t px = row[k];
    for (int c = 0; c < kMaxChannels; ++c) {
      if (c < kC && c != alpha) sum[c] += wk * PackedChannel(px, c);
    }
  }
  for (int c = 0; c < kMaxChannels; ++c) {
    if (c < kC) out[c] = static_cast<float>(sum[c]);
  }
}

// The channel counts the tiled kernels are instantiated for (every format's: 1, 3 or 4), and (host side: the
// launchers, the CPU harness) a call of f with the count as a compile-time constant (std::integral_constant).
JK_HD bool TiledChannels(int channels) { return channels == 1 || channels == 3 || channels == 4; }

template <class F>
inline void WithChannels(int channels, F f) {
  if (channels == 1) f(std::integral_constant<int, 1>());
  else if (channels == 3) f(std::integral_constant<int, 3>());
  else f(std::integral_constant<int, 4>());
}

// --- resize ----------------------------------------------------------------------------------------------------

// The tile's windows, from p.tileSpans: its source columns, its source (= intermediate) rows.
struct ResizeWindow {
  int col0, cols, row0, rows;
};

JK_HD ResizeWindow ResizeWindowOf(const ResizeParams& p, int tileX, int tileY) {
  const int tilesX = (p.dst.width + kTileW - 1) / kTileW;
  return ResizeWindow{p.tileSpans[2 * tileX], p.tileSpans[2 * tileX + 1], p.tileSpans[2 * (tilesX + tileY)],
                      p.tileSpans[2 * (tilesX + tileY) + 1]};
}

// Shared memory: the horizontal weights of the tile's columns (taps × 32 doubles), the intermediate rows
// (rows × 32 × channels floats), the source window (rows × cols words).
struct ResizeShared {
  double* weights;
  float* mid;
  uint32_t* pixels;
};

JK_HD size_t ResizeSharedBytes(int hTaps, int channels, int tileRows, int tileCols) {
  return static_cast<size_t>(hTaps) * kTileW * sizeof(double) +
         static_cast<size_t>(tileRows) * kTileW * channels * sizeof(float) +
         static_cast<size_t>(tileRows) * tileCols * 4;
}

JK_HD ResizeShared ResizeSharedAt(const ResizeParams& p, void* base) {
  ResizeShared s;
  s.weights = static_cast<double*>(base);
  s.mid = reinterpret_cast<float*>(s.weights + p.hTaps * kTileW);
  s.pixels = reinterpret_cast<uint32_t*>(s.mid + p.tileRows * kTileW * p.src.channels);
  return s;
}

// The resampled column that the tile's column `lane` shows, or -1 outside the resampled image.
JK_HD int ResampledColumn(const ResizeParams& p, int tileX, int lane) {
  const int x = tileX * kTileW + lane, rx = x + p.offsetX;
  return x < p.dst.width && rx >= 0 && rx < p.resizeWidth ? rx : -1;
}

// Phase 1 (thread t of the block): the source window and the columns' weights into shared memory.
template <int kC>
JK_HD void ResizeTileStage(const ResizeParams& p, int tileX, int tileY, int t, const ResizeShared& s) {
  const ResizeWindow w = ResizeWindowOf(p, tileX, tileY);
  for (int i = t; i < w.rows * w.cols; i += kResizeThreads) {
    const int j = i / w.cols;
    s.pixels[i] = PackedPixel<kC>(p.src, w.col0 + i - j * w.cols, w.row0 + j);
  }
  for (int i = t; i < p.hTaps * kTileW; i += kResizeThreads) {
    const int k = i / kTileW, rx = ResampledColumn(p, tileX, i % kTileW);
    s.weights[i] = rx >= 0 && k < p.hCount[rx] ? p.hWeights[static_cast<int64_t>(k) * p.resizeWidth + rx] : 0.0;
  }
}

// Phase 2: ResizeHorizontal's sums for the tile's column `lane`, on every row of the window this thread takes.
template <int kC>
JK_HD void ResizeTileHorizontal(const ResizeParams& p, int tileX, int tileY, int t, const ResizeShared& s) {
  const int lane = t % kTileW, rx = ResampledColumn(p, tileX, lane);
  if (rx < 0) return;
  const ResizeWindow w = ResizeWindowOf(p, tileX, tileY);
  const int start = p.hStart[rx] - w.col0, count = p.hCount[rx];
  for (int j = t / kTileW; j < w.rows; j += kResizeThreads / kTileW) {
    // No alpha here (PlanResizeTiles): every channel is summed.
    PackedTapSums<kC>(s.pixels + j * w.cols + start, s.weights + lane, kTileW, count, -1,
                      s.mid + (j * kTileW + lane) * kC);
  }
}

// Phase 3: the tile's output pixels, as ResizeVertical with the intermediate rows from shared memory.
template <int kC>
JK_HD void ResizeTileVertical(const ResizeParams& p, int tileX, int tileY, int t, const ResizeShared& s) {
  const int lane = t % kTileW, x = tileX * kTileW + lane;
  if (x >= p.dst.width) return;
  const int row0 = ResizeWindowOf(p, tileX, tileY).row0, stride = kTileW * kC;
  for (int j = t / kTileW; j < kResizeTileH; j += kResizeThreads / kTileW) {
    const int y = tileY * kResizeTileH + j;
    if (y >= p.dst.height || ResizeOutside<kC>(p, x, y)) continue;
    const int ry = y + p.offsetY;
    ResizeFinish<kC>(p, x, y, ResizeColumnSum<kC>(p, ry, s.mid + (p.vStart[ry] - row0) * stride + lane * kC, stride));
  }
}

// Host side: each column tile's and row tile's source window (as p.tileSpans) and the largest of each; false
// when the tiled path does not apply.
inline bool PlanResizeTiles(const ResizeParams& p, const std::vector<int32_t>& hStart,
                            const std::vector<int32_t>& hCount, const std::vector<int32_t>& vStart,
                            const std::vector<int32_t>& vCount, std::vector<int32_t>* spans, int* maxCols,
                            int* maxRows) {
  if (p.copy || p.linear || p.src.alpha >= 0 || !TiledChannels(p.src.channels)) return false;
  spans->clear();
  *maxCols = *maxRows = 1;
  // One axis: for each tile of `tile` outputs, the union of the source ranges its resampled positions read.
  const auto axis = [spans](int outputs, int tile, int offset, int resampled, const std::vector<int32_t>& start,
                            const std::vector<int32_t>& count, int* most) {
    for (int first = 0; first < outputs; first += tile) {
      int lo = 0, hi = 0;
      bool any = false;
      for (int o = first; o < first + tile && o < outputs; ++o) {
        const int r = o + offset;
        if (r < 0 || r >= resampled) continue;
        lo = any ? std::min(lo, start[r]) : start[r];
        hi = any ? std::max(hi, start[r] + count[r]) : start[r] + count[r];
        any = true;
      }
      spans->push_back(lo);
      spans->push_back(hi - lo);
      *most = std::max(*most, hi - lo);
    }
  };
  axis(p.dst.width, kTileW, p.offsetX, p.resizeWidth, hStart, hCount, maxCols);
  axis(p.dst.height, kResizeTileH, p.offsetY, p.resizeHeight, vStart, vCount, maxRows);
  return ResizeSharedBytes(p.hTaps, p.src.channels, *maxRows, *maxCols) <= static_cast<size_t>(kResizeTileShared);
}

// --- sharpen ---------------------------------------------------------------------------------------------------

// Shared memory: the weights (2r + 1 doubles), the horizontal blur of the window's rows ((16 + 2r) × 32 ×
// channels floats), the source window with the radius around the tile, edges replicated ((16 + 2r) × (32 + 2r)
// words).
struct SharpenShared {
  double* weights;
  float* mid;
  uint32_t* pixels;
};

// Whether sharpen takes the tiled kernel.
JK_HD bool SharpenTiled(const SharpenParams& p) {
  return p.radius <= kSharpenTileRadius && TiledChannels(p.src.channels);
}

JK_HD int SharpenTileRows(const SharpenParams& p) { return kSharpenTileH + 2 * p.radius; }
JK_HD int SharpenTileCols(const SharpenParams& p) { return kTileW + 2 * p.radius; }

JK_HD size_t SharpenSharedBytes(int radius, int channels) {
  return static_cast<size_t>(2 * radius + 1) * sizeof(double) +
         static_cast<size_t>(kSharpenTileH + 2 * radius) *
             (kTileW * channels * sizeof(float) + (kTileW + 2 * radius) * 4);
}

JK_HD SharpenShared SharpenSharedAt(const SharpenParams& p, void* base) {
  SharpenShared s;
  s.weights = static_cast<double*>(base);
  s.mid = reinterpret_cast<float*>(s.weights + 2 * p.radius + 1);
  s.pixels = reinterpret_cast<uint32_t*>(s.mid + SharpenTileRows(p) * kTileW * p.src.channels);
  return s;
}

template <int kC>
JK_HD void SharpenTileStage(const SharpenParams& p, int tileX, int tileY, int t, const SharpenShared& s) {
  const int rows = SharpenTileRows(p), cols = SharpenTileCols(p);
  const int x0 = tileX * kTileW - p.radius, y0 = tileY * kSharpenTileH - p.radius;
  for (int i = t; i < rows * cols; i += kSharpenThreads) {
    const int j = i / cols;
    s.pixels[i] =
        PackedPixel<kC>(p.src, Clamp(x0 + i - j * cols, 0, p.src.width - 1), Clamp(y0 + j, 0, p.src.height - 1));
  }
  if (t <= 2 * p.radius) s.weights[t] = p.weights[t];
}

// SharpenHorizontal's sums for the tile's column `lane` on every window row this thread takes.
template <int kC>
JK_HD void SharpenTileHorizontal(const SharpenParams& p, int tileX, int t, const SharpenShared& s) {
  const int lane = t % kTileW, taps = 2 * p.radius + 1, rows = SharpenTileRows(p), cols = SharpenTileCols(p);
  if (tileX * kTileW + lane >= p.src.width) return;
  for (int j = t / kTileW; j < rows; j += kSharpenThreads / kTileW) {
    PackedTapSums<kC>(s.pixels + j * cols + lane, s.weights, 1, taps, p.src.alpha, s.mid + (j * kTileW + lane) * kC);
  }
}

// SharpenVertical's blur down the shared rows, then its unsharp step.
template <int kC>
JK_HD void SharpenTileVertical(const SharpenParams& p, int tileX, int tileY, int t, const SharpenShared& s) {
  const int lane = t % kTileW, x = tileX * kTileW + lane, taps = 2 * p.radius + 1, cols = SharpenTileCols(p);
  if (x >= p.dst.width) return;
  for (int j = t / kTileW; j < kSharpenTileH; j += kSharpenThreads / kTileW) {
    const int y = tileY * kSharpenTileH + j;
    if (y >= p.dst.height) return;
    const float* column = s.mid + (j * kTileW + lane) * kC;
    double blur[kMaxChannels] = {0, 0, 0, 0};
    for (int k = 0; k < taps; ++k) {
      const double wk = s.weights[k];
      for (int c = 0; c < kMaxChannels; ++c) {
        if (c < kC && c != p.src.alpha) blur[c] += wk * static_cast<double>(column[k * kTileW * kC + c]);
      }
    }
    SharpenFinish<kC>(p, x, y, s.pixels[(j + p.radius) * cols + lane + p.radius], blur);
  }
}

}  // namespace opsmath
}  // namespace jpegkit
