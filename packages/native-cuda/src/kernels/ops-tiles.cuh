// Resize and sharpen in one kernel each, a thread block per 32×16 tile of the output (ops-resize.cu,
// ops-sharpen.cu): the tile's source pixels are staged in shared memory (a pixel's channels packed in one word),
// the horizontal pass writes its float32 rows to shared memory, and the vertical pass reads them there. The sums
// are the two-pass kernels' own (ops-math.cuh), term for term and in the same order, so the pixels are the same;
// what goes is the float intermediate's trip through global memory and a launch, and most of the loads (one word
// per tap instead of a byte per channel and tap). Each phase is a function of (tile, thread) that the kernels call
// between barriers and the CPU harness (ops-host-test.cu) calls in loops over the block's threads.
//
// Resize takes this path without linear light or alpha (premultiplying) and where every tile's source window fits
// (PlanResizeTiles); sharpen for radii up to kSharpenTileRadius. The rest keep the two passes.
#pragma once

#include <cstdint>
#include <vector>

#include "ops-math.cuh"

namespace jpegkit {
namespace opsmath {

constexpr int kTileW = 32, kTileH = 16;
constexpr int kTileThreads = 256;  // a block of 32 × 8: a thread per column, every 8th row
constexpr int kTileRowStep = kTileThreads / kTileW;
constexpr int kSharpenTileRadius = 8;
// Shared memory a resize tile may take (the kernel opts in past the default 48 KiB).
constexpr int kResizeTileShared = 64 * 1024;

// A pixel's channels packed in one word (channel c in byte c).
JK_HD uint32_t PackedPixel(const OpsImage& image, int x, int y) {
  uint32_t v = 0;
  for (int c = 0; c < kMaxChannels; ++c) {
    if (c < image.channels) v |= static_cast<uint32_t>(*At(image, c, x, y)) << (8 * c);
  }
  return v;
}

JK_HD double PackedChannel(uint32_t packed, int c) { return ByteToDouble((packed >> (8 * c)) & 0xffu); }

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
// (rows × 32 × 4 floats), the source window (rows × cols words).
struct ResizeShared {
  double* weights;
  float* mid;
  uint32_t* pixels;
};

JK_HD size_t ResizeSharedBytes(int hTaps, int tileRows, int tileCols) {
  return static_cast<size_t>(hTaps) * kTileW * sizeof(double) + static_cast<size_t>(tileRows) * kTileW * 4 * 4 +
         static_cast<size_t>(tileRows) * tileCols * 4;
}

JK_HD ResizeShared ResizeSharedAt(const ResizeParams& p, void* base) {
  ResizeShared s;
  s.weights = static_cast<double*>(base);
  s.mid = reinterpret_cast<float*>(s.weights + p.hTaps * kTileW);
  s.pixels = reinterpret_cast<uint32_t*>(s.mid + p.tileRows * kTileW * 4);
  return s;
}

// The resampled column (row) of the tile's column `lane` (row `j`), or -1 outside the resampled image.
JK_HD int ResampledColumn(const ResizeParams& p, int tileX, int lane) {
  const int x = tileX * kTileW + lane, rx = x + p.offsetX;
  return x < p.dst.width && rx >= 0 && rx < p.resizeWidth ? rx : -1;
}

// Phase 1 (thread t of the block): the source window and the columns' weights into shared memory.
JK_HD void ResizeTileStage(const ResizeParams& p, int tileX, int tileY, int t, const ResizeShared& s) {
  const ResizeWindow w = ResizeWindowOf(p, tileX, tileY);
  for (int i = t; i < w.rows * w.cols; i += kTileThreads) {
    s.pixels[i] = PackedPixel(p.src, w.col0 + i % w.cols, w.row0 + i / w.cols);
  }
  for (int i = t; i < p.hTaps * kTileW; i += kTileThreads) {
    const int k = i / kTileW, rx = ResampledColumn(p, tileX, i % kTileW);
    s.weights[i] = rx >= 0 && k < p.hCount[rx] ? p.hWeights[static_cast<int64_t>(k) * p.resizeWidth + rx] : 0.0;
  }
}

// Phase 2: ResizeHorizontal's sums for the tile's column `lane`, on every row of the window this thread takes.
JK_HD void ResizeTileHorizontal(const ResizeParams& p, int tileX, int tileY, int t, const ResizeShared& s) {
  const int lane = t % kTileW, rx = ResampledColumn(p, tileX, lane);
  if (rx < 0) return;
  const ResizeWindow w = ResizeWindowOf(p, tileX, tileY);
  const int start = p.hStart[rx] - w.col0, count = p.hCount[rx], channels = p.src.channels;
  for (int j = t / kTileW; j < w.rows; j += kTileRowStep) {
    const uint32_t* row = s.pixels + j * w.cols + start;
    double sum[kMaxChannels] = {0, 0, 0, 0};
    for (int k = 0; k < count; ++k) {
      const double wk = s.weights[k * kTileW + lane];
      const uint32_t px = row[k];
      for (int c = 0; c < kMaxChannels; ++c) {
        if (c < channels) sum[c] += wk * PackedChannel(px, c);
      }
    }
    float* out = s.mid + (j * kTileW + lane) * 4;
    for (int c = 0; c < kMaxChannels; ++c) out[c] = static_cast<float>(sum[c]);
  }
}

// Phase 3: the tile's output pixels, as ResizeVertical with the intermediate rows from shared memory.
JK_HD void ResizeTileVertical(const ResizeParams& p, int tileX, int tileY, int t, const ResizeShared& s) {
  const int lane = t % kTileW, x = tileX * kTileW + lane;
  if (x >= p.dst.width) return;
  const int row0 = ResizeWindowOf(p, tileX, tileY).row0;
  for (int j = t / kTileW; j < kTileH; j += kTileRowStep) {
    const int y = tileY * kTileH + j;
    if (y >= p.dst.height || ResizeOutside(p, x, y)) continue;
    const int ry = y + p.offsetY;
    ResizeFinish(p, x, y, ResizeColumnSum(p, ry, s.mid + (p.vStart[ry] - row0) * kTileW * 4 + lane * 4, kTileW * 4));
  }
}

// Host side: each column tile's and row tile's source window (as p.tileSpans) and the largest of each; false
// when the tiled path does not apply.
inline bool PlanResizeTiles(const ResizeParams& p, const std::vector<int32_t>& hStart,
                            const std::vector<int32_t>& hCount, const std::vector<int32_t>& vStart,
                            const std::vector<int32_t>& vCount, std::vector<int32_t>* spans, int* maxCols,
                            int* maxRows) {
  if (p.copy || p.linear || p.src.alpha >= 0) return false;
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
  axis(p.dst.height, kTileH, p.offsetY, p.resizeHeight, vStart, vCount, maxRows);
  return ResizeSharedBytes(p.hTaps, *maxRows, *maxCols) <= static_cast<size_t>(kResizeTileShared);
}

// --- sharpen ---------------------------------------------------------------------------------------------------

// Shared memory: the source window with the radius around the tile, edges replicated ((16 + 2r) × (32 + 2r)
// words), and the horizontal blur of its rows ((16 + 2r) × 32 × 4 floats).
struct SharpenShared {
  float* mid;
  uint32_t* pixels;
};

JK_HD int SharpenTileRows(const SharpenParams& p) { return kTileH + 2 * p.radius; }
JK_HD int SharpenTileCols(const SharpenParams& p) { return kTileW + 2 * p.radius; }

JK_HD size_t SharpenSharedBytes(int radius) {
  return static_cast<size_t>(kTileH + 2 * radius) * (kTileW * 4 * 4 + (kTileW + 2 * radius) * 4);
}

JK_HD SharpenShared SharpenSharedAt(const SharpenParams& p, void* base) {
  SharpenShared s;
  s.mid = static_cast<float*>(base);
  s.pixels = reinterpret_cast<uint32_t*>(s.mid + SharpenTileRows(p) * kTileW * 4);
  return s;
}

JK_HD void SharpenTileStage(const SharpenParams& p, int tileX, int tileY, int t, const SharpenShared& s) {
  const int rows = SharpenTileRows(p), cols = SharpenTileCols(p);
  const int x0 = tileX * kTileW - p.radius, y0 = tileY * kTileH - p.radius;
  for (int i = t; i < rows * cols; i += kTileThreads) {
    s.pixels[i] = PackedPixel(p.src, Clamp(x0 + i % cols, 0, p.src.width - 1), Clamp(y0 + i / cols, 0, p.src.height - 1));
  }
}

// SharpenHorizontal's sums for the tile's column `lane` on every window row this thread takes.
JK_HD void SharpenTileHorizontal(const SharpenParams& p, int tileX, int t, const SharpenShared& s) {
  const int lane = t % kTileW, r = p.radius, rows = SharpenTileRows(p), cols = SharpenTileCols(p);
  if (tileX * kTileW + lane >= p.src.width) return;
  for (int j = t / kTileW; j < rows; j += kTileRowStep) {
    const uint32_t* row = s.pixels + j * cols + lane;
    double sum[kMaxChannels] = {0, 0, 0, 0};
    for (int k = 0; k <= 2 * r; ++k) {
      const double wk = p.weights[k];
      const uint32_t px = row[k];
      for (int c = 0; c < kMaxChannels; ++c) {
        if (c < p.src.channels && c != p.src.alpha) sum[c] += wk * PackedChannel(px, c);
      }
    }
    float* out = s.mid + (j * kTileW + lane) * 4;
    for (int c = 0; c < kMaxChannels; ++c) out[c] = static_cast<float>(sum[c]);
  }
}

// SharpenVertical's blur down the shared rows, then its unsharp step.
JK_HD void SharpenTileVertical(const SharpenParams& p, int tileX, int tileY, int t, const SharpenShared& s) {
  const int lane = t % kTileW, x = tileX * kTileW + lane;
  if (x >= p.dst.width) return;
  for (int j = t / kTileW; j < kTileH; j += kTileRowStep) {
    const int y = tileY * kTileH + j;
    if (y >= p.dst.height) return;
    const float* column = s.mid + (j * kTileW + lane) * 4;
    double blur[kMaxChannels] = {0, 0, 0, 0};
    for (int k = 0; k <= 2 * p.radius; ++k) {
      const double wk = p.weights[k];
      for (int c = 0; c < kMaxChannels; ++c) {
        if (c < p.src.channels && c != p.src.alpha) blur[c] += wk * static_cast<double>(column[k * kTileW * 4 + c]);
      }
    }
    SharpenFinish(p, x, y, blur);
  }
}

}  // namespace opsmath
}  // namespace jpegkit
